# Feeds of alerts and the web page (docs/web.md).
ww_py_test(integration_web_feeds test_web_feeds.py TIMEOUT 120)
