"""tools/check_layers.py passes on the tree and fails on planted forbidden edges.

Each case copies server/ and storage/ to a temporary folder, plants one include and runs the
script there: it must exit 1 and name the offending file and line.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, "tools", "check_layers.py")


def run(root):
    done = subprocess.run([sys.executable, SCRIPT, root], capture_output=True, text=True)
    return done.returncode, done.stdout + done.stderr


class LayerCheckTests(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="layer-check-")
        for top in ("server", "storage"):
            shutil.copytree(os.path.join(ROOT, top), os.path.join(self.tmp, top))

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def plant(self, path, include):
        """Appends `#include "<include>"` to `path`; returns the line number it landed on."""
        full = os.path.join(self.tmp, path)
        with open(full, encoding="utf-8") as f:
            lines = f.read().splitlines()
        lines.append(f'#include "{include}"')
        with open(full, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        return len(lines)

    def assertRefused(self, path, include, layer, target):
        line = self.plant(path, include)
        code, out = run(self.tmp)
        self.assertEqual(code, 1, out)
        self.assertIn(f"{path}:{line}: {layer} may not include {include} ({target})", out)

    def test_the_tree_passes(self):
        code, out = run(self.tmp)
        self.assertEqual((code, out.strip()), (0, "layers ok"))

    def test_http_may_not_include_storage(self):
        self.assertRefused("server/http/router.cpp", "storage/database.hpp", "http", "storage")

    def test_http_may_not_include_a_domain_module(self):
        self.assertRefused("server/http/router.hpp", "server/contacts/contact_service.hpp",
                           "http", "module:contacts")

    def test_api_may_not_include_storage(self):
        self.assertRefused("server/api/contact_api.cpp", "storage/contact_store.hpp", "api",
                           "storage")

    def test_storage_and_core_stay_at_the_bottom(self):
        self.assertRefused("storage/database.cpp", "server/api/api.hpp", "storage", "api")
        self.assertRefused("server/core/errors.cpp", "storage/database.hpp", "core", "storage")

    def test_a_module_may_not_include_an_unrelated_module(self):
        self.assertRefused("server/suppression/suppression_service.cpp",
                           "server/contacts/contact_service.hpp", "module:suppression",
                           "module:contacts")

    def test_api_may_not_reach_storage_through_a_domain_header(self):
        # Allowed for the module itself, but the API layer includes that header.
        self.plant("server/contacts/contact_service.hpp", "storage/database.hpp")
        code, out = run(self.tmp)
        self.assertEqual(code, 1, out)
        self.assertIn("server/api/contact_api.hpp:1: api reaches storage/database.hpp (storage) "
                      "through server/contacts/contact_service.hpp", out)

    def test_unknown_folders_are_refused(self):
        os.makedirs(os.path.join(self.tmp, "server", "misc"))
        with open(os.path.join(self.tmp, "server", "misc", "x.cpp"), "w") as f:
            f.write('#include "server/core/errors.hpp"\n')
        code, out = run(self.tmp)
        self.assertEqual(code, 1, out)
        self.assertIn("server/misc/x.cpp:1: folder server/misc is not in the layer table", out)


if __name__ == "__main__":
    unittest.main()
