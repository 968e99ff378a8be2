# Memory soak (issue 9), included from tests/integration/CMakeLists.txt: two minutes of changing
# feeds; label `soak` so that the sanitizer runs leave it out (RSS means nothing under ASan).
ww_py_test(integration_soak test_soak.py TIMEOUT 400 LABELS soak)
# Its verdict on synthetic series (flat, slope, steps), in seconds and without a daemon.
ww_py_test(integration_soak_analysis test_soak_analysis.py TIMEOUT 30)
