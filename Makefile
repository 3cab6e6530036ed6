# Thin wrapper around CMake. `make run` and `make test` install what is missing first.
BUILD_DIR ?= build
PYTHON ?= $(shell for p in "$$HOME/.pyenv/shims/python3" /root/.pyenv/shims/python3 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import boto3' >/dev/null 2>&1; then command -v $$p; break; fi; done)
ARGS ?=
# Where `make run` puts the example import files (the bucket `imports` of the default s3
# directory; with --db or --s3-dir elsewhere, copy fixtures/import-files/ yourself).
EXAMPLES_DIR ?= data/s3/imports
export PYTHON

.PHONY: deps build run test unit e2e checks bench test-docker clean format

deps:
	@./tools/install-deps.sh

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DPYTHON=$(PYTHON)

build: deps $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j 2

run: build
	@./tools/seed-example-files.sh $(EXAMPLES_DIR)
	./$(BUILD_DIR)/bin/sesv2-mock $(ARGS)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure --timeout 900

unit: build
	cd $(BUILD_DIR) && ctest --output-on-failure -L unit

e2e: build
	cd $(BUILD_DIR) && ctest --output-on-failure -L e2e

checks: $(BUILD_DIR)/build.ninja
	cd $(BUILD_DIR) && ctest --output-on-failure -L checks

bench: build
	./bench/run.sh

test-docker: build
	./docker/smoke.sh

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf $(BUILD_DIR)
