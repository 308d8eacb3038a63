// swift counter
