"""pandoc"""
