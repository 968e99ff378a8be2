# WebSub push against a hub of the test's own on loopback (issue 5).
ww_py_test(integration_websub test_websub.py LABELS websub TIMEOUT 120)
