"""examples/compose without docker: its app runs against the real binary with the
example's S3 folder (as the compose file mounts it), and the compose file says what the
README promises (the mock built from docker/Dockerfile, healthcheck via --healthcheck, the
app waiting for it and pointing its SES client at it). examples/compose/smoke.sh runs the
same stack in docker (called from docker/smoke.sh)."""
import os
import subprocess
import sys
import unittest

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import REPO_ROOT, ServerTestCase, python_executable, unique_account  # noqa: E402

EXAMPLE = os.path.join(REPO_ROOT, "examples", "compose")


class ComposeExampleTests(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The example's S3 folder, as the compose file mounts it at /data/s3.
        cls.server.stop()
        cls.server.s3_dir = os.path.join(EXAMPLE, "s3")
        cls.server.start()

    def test_app_passes_against_the_binary(self):
        env = dict(os.environ, SES_ENDPOINT=self.server.url, AWS_REGION="us-east-1",
                   AWS_ACCESS_KEY_ID=unique_account(), AWS_SECRET_ACCESS_KEY="test",
                   SUPPRESSION_LIST_URL="s3://lists/suppression.csv")
        run = subprocess.run([python_executable(), os.path.join(EXAMPLE, "app", "app.py")], env=env,
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
        lines = run.stdout.splitlines()
        self.assertEqual(lines[-1], "example app: all checks passed")
        self.assertEqual([line.split(":")[0] for line in lines if line.startswith(("ok", "FAIL"))],
                         ["ok   suppression import", "ok   fates", "ok   events of blocked@example.com",
                          "ok   out-of-the-office replies"])

    def test_compose_file(self):
        doc = yaml.safe_load(open(os.path.join(EXAMPLE, "docker-compose.yml")))
        ses, app = doc["services"]["ses"], doc["services"]["app"]
        self.assertEqual(ses["build"], {"context": "../..", "dockerfile": "docker/Dockerfile"})
        self.assertEqual(ses["healthcheck"]["test"], ["CMD", "/sesv2-mock", "--healthcheck"])
        self.assertEqual(ses["volumes"], ["./s3:/data/s3:ro"])
        self.assertEqual(app["depends_on"], {"ses": {"condition": "service_healthy"}})
        self.assertEqual(app["environment"]["SES_ENDPOINT"], "http://ses:4579")
        self.assertEqual(app["environment"]["SUPPRESSION_LIST_URL"], "s3://lists/suppression.csv")
        self.assertTrue(os.path.isfile(os.path.join(EXAMPLE, "s3", "lists", "suppression.csv")))
        # Images come from the locally made Debian base only (no registry).
        for dockerfile in (os.path.join(EXAMPLE, "app", "Dockerfile"), os.path.join(REPO_ROOT, "docker", "Dockerfile")):
            froms = [line.split()[1] for line in open(dockerfile) if line.startswith("FROM ")]
            self.assertTrue(set(froms) <= {"debian:bookworm-slim", "scratch"}, (dockerfile, froms))


if __name__ == "__main__":
    unittest.main()
