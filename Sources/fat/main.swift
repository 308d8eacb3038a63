print("fat")
