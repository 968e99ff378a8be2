ww_py_test(integration_relevance test_relevance.py LABELS match TIMEOUT 120)
