"""Regional IoT Knowledge: the pure core.

Loads, validates and cross-references the site's data (vocabularies, case
records, courses) and renders it to Markdown through Jinja templates. Nothing
here imports MkDocs: the hooks in ``hooks/`` adapt this package to MkDocs
events, so the generator can be replaced without touching this code.
"""

__all__ = ["__version__"]
__version__ = "1.0.0"
