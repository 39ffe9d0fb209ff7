TEST_DEPS_test_txpool := src/txpool
