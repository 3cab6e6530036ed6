"""The README's first boto3 and AWS CLI examples run as written after `make run`.

Does what `make run` does (tools/seed-example-files.sh into data/s3/imports, then the
server with its default --db and s3 directory, from a fresh working folder), runs the
README's code blocks against it (only the port differs) and compares their output with
what the README says they print.
"""
import os
import re
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import REPO_ROOT, MockServer, aws_cli, python_executable  # noqa: E402

README = os.path.join(REPO_ROOT, "README.md")
SEED = os.path.join(REPO_ROOT, "tools", "seed-example-files.sh")
README_URL = "http://127.0.0.1:4579"


def readme_block(after, language):
    """The first ```<language> block after the line `after`."""
    text = open(README, encoding="utf-8").read()
    start = text.index(after)
    match = re.compile(r"```" + language + r"\n(.*?)```", re.S).search(text, start)
    return match.group(1)


class DefaultsServer(MockServer):
    """The server as `make run` starts it: no --db, no --s3-dir (cwd is the workdir)."""

    def command(self, extra_args=None):
        return [super().command()[0], "--host", "127.0.0.1", "--port", "0"]


class ReadmeQuickStartTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        import tempfile
        cls.workdir = tempfile.mkdtemp(prefix="sesv2-readme-")
        seeded = subprocess.run(["bash", SEED, "data/s3/imports"], cwd=cls.workdir,
                                capture_output=True, text=True, check=True)
        cls.seed_output = seeded.stdout
        cls.server = DefaultsServer(cls.workdir, db="unused", s3_dir=cls.workdir).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        import shutil
        shutil.rmtree(cls.workdir, ignore_errors=True)

    def test_1_seed_copies_the_example_files_once(self):
        names = sorted(os.listdir(os.path.join(REPO_ROOT, "fixtures", "import-files")))
        self.assertEqual(sorted(os.listdir(os.path.join(self.workdir, "data/s3/imports"))), names)
        self.assertEqual(self.seed_output.strip(),
                         f"copied {len(names)} example import files to data/s3/imports/ "
                         "(s3://imports/...)")
        again = subprocess.run(["bash", SEED, "data/s3/imports"], cwd=self.workdir,
                               capture_output=True, text=True, check=True)
        self.assertEqual(again.stdout, "")  # files already there are kept

    def test_2_boto3_example(self):
        code = readme_block("With boto3:", "python").replace(README_URL, self.server.url)
        self.assertIn("s3://imports/suppression-put.csv", code)
        done = subprocess.run([python_executable(), "-c", code], capture_output=True, text=True,
                              timeout=60, cwd=self.workdir)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(done.stdout, "COMPLETED 4 2\n")
        self.assertIn("prints `COMPLETED 4 2`", open(README, encoding="utf-8").read())

    def test_3_cli_example(self):
        cli = aws_cli()
        if not cli:
            self.skipTest("no AWS CLI")
        script = readme_block("With the AWS CLI:", "sh").replace(README_URL, self.server.url)
        script = re.sub(r"^aws ", cli + " ", script, flags=re.M)
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        done = subprocess.run(["bash", "-ec", script], capture_output=True, text=True,
                              timeout=120, cwd=self.workdir, env=env)
        self.assertEqual(done.returncode, 0, done.stderr)
        lines = done.stdout.strip().splitlines()
        self.assertRegex(done.stdout, r'"JobId": "[0-9a-f-]{36}"')
        # After the boto3 example: two jobs, both COMPLETED 4 2.
        self.assertEqual(lines[-2:], ["COMPLETED\t4\t2", "COMPLETED\t4\t2"])


if __name__ == "__main__":
    unittest.main()
