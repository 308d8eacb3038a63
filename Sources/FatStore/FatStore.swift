// FatStore
