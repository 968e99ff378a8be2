# Feeds of alerts and the web page (docs/web.md).
ww_py_test(integration_web_feeds test_web_feeds.py TIMEOUT 120)
ww_py_test(integration_web_page test_web_page.py TIMEOUT 180)
