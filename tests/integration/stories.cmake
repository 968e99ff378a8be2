ww_py_test(integration_stories test_stories.py TIMEOUT 180)
