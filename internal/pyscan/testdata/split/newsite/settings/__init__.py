from split_settings.tools import include, optional

include(
    "components/base.py",
    "components/d*.py",
    optional("local_settings.py"),
)
