"""(to be filled)"""
SERVICES = []
