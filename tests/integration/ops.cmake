# Operations tests (issue 8), included from tests/integration/CMakeLists.txt.
ww_py_test(integration_install test_install.py TIMEOUT 300 LABELS ops)
ww_py_test(integration_systemd test_systemd.py TIMEOUT 120 LABELS ops)
ww_py_test(integration_check_config test_check_config.py TIMEOUT 60 LABELS ops)
