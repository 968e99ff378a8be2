# Delivery-policy tests (issue 10), included from tests/integration/CMakeLists.txt.
ww_py_test(integration_policy test_policy.py TIMEOUT 240)
