// FatCLI
