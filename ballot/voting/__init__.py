"""The confidence vote: setup, attendance, codes, casting, closing, decryption, results."""
