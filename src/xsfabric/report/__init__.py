"""Reports of an audit. The JSON document (:mod:`xsfabric.report.json`) is canonical; the
text report is rendered from it, and later formats (SARIF, JUnit, HTML) will be too."""
