print("hello from the code folder")
