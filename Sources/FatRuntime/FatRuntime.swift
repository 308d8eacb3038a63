// FatRuntime
