# Thin wrapper around CMake. `make run` and `make test` install what is missing first.
BUILD_DIR ?= build
PYTHON ?= $(shell for p in "$$HOME/.pyenv/shims/python3" /root/.pyenv/shims/python3 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import boto3' >/dev/null 2>&1; then command -v $$p; break; fi; done)
ARGS ?=
export PYTHON

.PHONY: deps build run test unit e2e bench test-docker clean format

deps:
	@./tools/install-deps.sh

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DPYTHON=$(PYTHON)

build: deps $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j 2

run: build
	./$(BUILD_DIR)/bin/sesv2-mock $(ARGS)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure --timeout 900

unit: build
	cd $(BUILD_DIR) && ctest --output-on-failure -L unit

e2e: build
	cd $(BUILD_DIR) && ctest --output-on-failure -L e2e

bench: build
	./bench/run.sh

test-docker: build
	./docker/smoke.sh

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf $(BUILD_DIR)
