"""Gongxin (公信): cadre selection and appointment that the public can verify.

This package's top level imports nothing, so that the standalone tools
(``python -m gongxin.verify``, ``python -m gongxin.recount``) run without Django.
"""

__version__ = "0.1.0"
