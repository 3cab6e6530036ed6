"""Strict SigV4 (--auth strict) through the AWS SDK for Go v2: tests/e2e/go/auth/main.go is
built offline like test_go_sdk.py's program and prints what the SDK saw for each case."""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import test_go_sdk  # noqa: E402
from harness import ServerTestCase  # noqa: E402

KEY, SECRET = "AKIDGOSTRICT", "go/secret+value"
BAD_SIGNATURE = ("The request signature we calculated does not match the signature you provided. "
                 "Check your AWS Secret Access Key and signing method. Consult the service "
                 "documentation for details.")


class GoStrictAuthTests(ServerTestCase):
    server_args = ["--auth", "strict", "--credential", f"{KEY}:{SECRET}"]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        try:
            binary = os.path.join(cls.workdir, "sesv2-go-auth")
            # Same offline GOPATH build as test_go_sdk.py, of the auth program.
            test_go_sdk.GO_SRC = os.path.join(test_go_sdk.HERE, "go", "auth", "main.go")
            test_go_sdk.build_program(binary, cls.workdir)
            env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
            env.update({"AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null"})
            proc = subprocess.run([binary, "-endpoint", cls.server.url, "-key", KEY, "-secret", SECRET],
                                  env=env, capture_output=True, text=True, timeout=120,
                                  stdin=subprocess.DEVNULL)
            if proc.returncode != 0:
                raise AssertionError(f"exit {proc.returncode}: {proc.stdout}{proc.stderr}")
            cls.out = json.loads(proc.stdout)
        except BaseException:
            cls._failed = True
            cls.server.stop()
            cls._cleanup_workdir()
            raise

    def test_right_key_passes(self):
        self.assertEqual(self.out["rightKey"], {"code": "", "message": "", "status": 200})

    def test_encoded_label_is_signed_like_aws(self):
        self.assertEqual((self.out["encodedLabel"]["code"], self.out["encodedLabel"]["status"]),
                         ("NotFoundException", 404))

    def test_wrong_secret(self):
        self.assertEqual(self.out["wrongSecret"],
                         {"code": "InvalidSignatureException", "message": BAD_SIGNATURE, "status": 403})

    def test_unknown_key(self):
        self.assertEqual(self.out["unknownKey"],
                         {"code": "UnrecognizedClientException", "status": 403,
                          "message": "The security token included in the request is invalid."})

    def test_tampered_body(self):
        self.assertEqual(self.out["tamperedBody"],
                         {"code": "InvalidSignatureException", "message": BAD_SIGNATURE, "status": 403})

    def test_old_date(self):
        old = self.out["oldDate"]
        self.assertEqual((old["code"], old["status"]), ("InvalidSignatureException", 403))
        self.assertRegex(old["message"], r"^Signature expired: \d{8}T\d{6}Z is now earlier than ")


if __name__ == "__main__":
    import unittest
    unittest.main()
