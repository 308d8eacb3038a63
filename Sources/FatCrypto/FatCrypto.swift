// FatCrypto
