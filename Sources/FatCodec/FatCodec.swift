// FatCodec
