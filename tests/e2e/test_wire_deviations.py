"""Wire deviations against the botocore model (issue 8), through boto3.

- CreateImportJob refuses an S3Url that breaks the model's pattern
  ^s3:\\/\\/([^\\/]+)\\/(.*?([^\\/]+)\\/?)$ at create time (no job is stored).
- CreateContactList validates Tags as the `Tag` shape documents, and the Description length;
  each violation is a BadRequestException and nothing is stored.
"""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import ServerTestCase, unique_account, wait_for_job  # noqa: E402

S3_PATTERN_MESSAGE = (
    "1 validation error detected: Value at 'importDataSource.s3Url' failed to satisfy "
    "constraint: Member must satisfy regular expression pattern: "
    "^s3:\\/\\/([^\\/]+)\\/(.*?([^\\/]+)\\/?)$")

SUPPRESSION_PUT = {"SuppressionListDestination": {"SuppressionListImportAction": "PUT"}}


class S3UrlPatternTests(ServerTestCase):
    def setUp(self):
        self.ses = self.server.client(unique_account())

    def create(self, url):
        return self.ses.create_import_job(ImportDestination=SUPPRESSION_PUT,
                                          ImportDataSource={"S3Url": url, "DataFormat": "CSV"})

    def test_urls_breaking_the_pattern_are_refused_at_create_time(self):
        for url in ("s3://bucket//", "s3://bucket/dir//", "s3://bucket/", "s3://bucket",
                    "s3:///key.csv", "s3://bucket/a//", "http://bucket/key.csv"):
            with self.subTest(url=url):
                msg = self.assertClientError("BadRequestException", 400, self.create, url)
                self.assertEqual(msg, S3_PATTERN_MESSAGE)
        self.assertEqual(self.ses.list_import_jobs()["ImportJobs"], [])

    def test_urls_matching_the_pattern_are_accepted(self):
        self.server.write_s3("bucket", "dir/ok.csv", "a@example.com,BOUNCE\n")
        job = wait_for_job(self.ses, self.create("s3://bucket/dir/ok.csv")["JobId"])
        self.assertEqual((job["JobStatus"], job["ProcessedRecordsCount"]), ("COMPLETED", 1))
        # A trailing '/' after a non-empty last segment matches the pattern; the object is
        # then simply not a file, so the job fails later rather than at create time.
        job = wait_for_job(self.ses, self.create("s3://bucket/dir/")["JobId"])
        self.assertEqual(job["JobStatus"], "FAILED")
        self.assertEqual(len(self.ses.list_import_jobs()["ImportJobs"]), 2)


class ContactListTagTests(ServerTestCase):
    def setUp(self):
        self.ses = self.server.client(unique_account())

    def assertRefused(self, message, tags=None, description=None):
        kwargs = {"ContactListName": "tagged"}
        if tags is not None:
            kwargs["Tags"] = tags
        if description is not None:
            kwargs["Description"] = description
        msg = self.assertClientError("BadRequestException", 400, self.ses.create_contact_list,
                                     **kwargs)
        self.assertEqual(msg, message)
        self.assertEqual(self.ses.list_contact_lists()["ContactLists"], [])

    def test_each_tag_rule(self):
        chars = ("A tag key can contain only Unicode letters, digits, white space and "
                 "_ . : / = + -")
        value_chars = chars.replace("tag key", "tag value")
        self.assertRefused("A resource can have at most 50 tags.",
                           [{"Key": f"k{i}", "Value": "v"} for i in range(51)])
        self.assertRefused("A tag key must be 1 to 128 characters long.", [{"Key": "", "Value": "v"}])
        self.assertRefused("A tag key must be 1 to 128 characters long.",
                           [{"Key": "k" * 129, "Value": "v"}])
        self.assertRefused("A tag value can be at most 256 characters long.",
                           [{"Key": "k", "Value": "v" * 257}])
        for bad in ("a!b", "a#b", "a@b", "a*b", "a,b", "tab\u2603"):
            self.assertRefused(chars, [{"Key": bad, "Value": "v"}])
        self.assertRefused(value_chars, [{"Key": "k", "Value": "semi;colon"}])
        self.assertRefused("The tag key team appears more than once.",
                           [{"Key": "team", "Value": "a"}, {"Key": "team", "Value": "b"}])
        reserved = "The aws: prefix is reserved for AWS; tag keys and values cannot use it."
        self.assertRefused(reserved, [{"Key": "aws:owner", "Value": "me"}])
        self.assertRefused(reserved, [{"Key": "AWS:owner", "Value": "me"}])
        self.assertRefused(reserved, [{"Key": "owner", "Value": "aws:me"}])

    def test_tags_within_the_rules_are_stored(self):
        tags = [{"Key": f"k{i}", "Value": "v"} for i in range(47)]
        tags += [{"Key": "K" * 128, "Value": "v" * 256},
                 {"Key": "Größe", "Value": "日本 語 _.:/=+-"},
                 {"Key": "empty", "Value": ""}]
        self.ses.create_contact_list(ContactListName="tagged", Tags=tags)
        got = self.ses.get_contact_list(ContactListName="tagged")["Tags"]
        self.assertEqual(len(got), 50)
        self.assertEqual(got, tags)

    def test_description_length(self):
        self.assertRefused("List description can contain up to 500 characters.",
                           description="d" * 501)
        self.ses.create_contact_list(ContactListName="described", Description="é" * 500)
        self.assertEqual(
            self.ses.get_contact_list(ContactListName="described")["Description"], "é" * 500)
        msg = self.assertClientError("BadRequestException", 400, self.ses.update_contact_list,
                                     ContactListName="described", Description="d" * 501)
        self.assertEqual(msg, "List description can contain up to 500 characters.")
        self.assertEqual(
            self.ses.get_contact_list(ContactListName="described")["Description"], "é" * 500)


class ContactWordingTests(ServerTestCase):
    """SES's own wording, which client test suites (moto's among them) assert on."""

    def test_address_and_list_messages(self):
        ses = self.server.client(unique_account())
        ses.create_contact_list(ContactListName="shop")
        for address, message in (("", "EmailAddress can't be blank."),
                                 ("   ", "EmailAddress can't be blank."),
                                 ("no-at-sign", "EmailAddress no-at-sign is invalid")):
            with self.subTest(address=address):
                msg = self.assertClientError("BadRequestException", 400, ses.create_contact,
                                             ContactListName="shop", EmailAddress=address)
                self.assertEqual(msg, message)
        msg = self.assertClientError("NotFoundException", 404, ses.list_contacts,
                                     ContactListName="other")
        self.assertEqual(msg, "List with name: other doesn't exist.")
        self.assertEqual(ses.list_contacts(ContactListName="shop")["Contacts"], [])


if __name__ == "__main__":
    unittest.main()
