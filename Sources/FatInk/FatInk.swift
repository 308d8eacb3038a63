// FatInk
