# Hostile inputs, round two, app side (issue 16: secrets in feed URLs, config filesystem
# errors, plugins read without running them).
ww_py_test(integration_hostile_app test_hostile_app.py TIMEOUT 180)
set_property(TEST integration_hostile_app APPEND PROPERTY ENVIRONMENT "WW_TEST_PLUGIN_DIR=${PROJECT_BINARY_DIR}/test-plugins")
