"""Feedback views, one module per part: the owner's rounds, the report, the public answer page.

Import selectors by function name here: a module name would shadow the views submodules.
"""
