"""Checking: the rules of ``validators/`` (installed as ``sheetkit.validators``) run over plans.

- ``validation``: plans -> tables -> pandera -> findings with their sheet and cell.
"""
