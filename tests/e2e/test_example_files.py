"""The example import files in fixtures/import-files/ do what the README says they do."""
import os
import shutil
import unittest

from harness import REPO_ROOT, ServerTestCase, unique_account, wait_for_job

EXAMPLES = os.path.join(REPO_ROOT, "fixtures", "import-files")


class ExampleFileTests(ServerTestCase):
    def setUp(self):
        self.account = unique_account()
        self.ses = self.server.client(self.account)
        target = os.path.join(self.server.s3_dir, "examples")
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(EXAMPLES, target)

    def run_job(self, destination, name, fmt):
        job_id = self.ses.create_import_job(
            ImportDestination=destination,
            ImportDataSource={"S3Url": f"s3://examples/{name}", "DataFormat": fmt})["JobId"]
        job = wait_for_job(self.ses, job_id)
        self.assertEqual(job["JobStatus"], "COMPLETED", job)
        return job["ProcessedRecordsCount"], job["FailedRecordsCount"]

    def test_suppression_examples(self):
        put = {"SuppressionListDestination": {"SuppressionListImportAction": "PUT"}}
        delete = {"SuppressionListDestination": {"SuppressionListImportAction": "DELETE"}}
        self.assertEqual(self.run_job(put, "suppression-put.csv", "CSV"), (4, 2))
        self.assertEqual(self.run_job(put, "suppression-put.jsonl", "JSON"), (3, 1))
        got = self.ses.get_suppressed_destination(EmailAddress="Complainer@example.org")
        self.assertEqual(got["SuppressedDestination"]["Reason"], "COMPLAINT")
        self.assertEqual(self.run_job(delete, "suppression-delete.csv", "CSV"), (2, 0))
        listed = self.ses.list_suppressed_destinations()["SuppressedDestinationSummaries"]
        self.assertEqual(sorted(d["EmailAddress"] for d in listed),
                         ["bounced.two@example.com", "complainer.two@example.net"])

    def test_contact_examples(self):
        self.ses.create_contact_list(ContactListName="newsletter", Topics=[
            {"TopicName": "news", "DisplayName": "News", "DefaultSubscriptionStatus": "OPT_IN"},
            {"TopicName": "deals", "DisplayName": "Deals", "DefaultSubscriptionStatus": "OPT_OUT"}])
        put = {"ContactListDestination": {"ContactListName": "newsletter",
                                          "ContactListImportAction": "PUT"}}
        delete = {"ContactListDestination": {"ContactListName": "newsletter",
                                             "ContactListImportAction": "DELETE"}}
        self.assertEqual(self.run_job(put, "contacts-put.csv", "CSV"), (4, 1))
        self.assertEqual(self.run_job(put, "contacts-put.jsonl", "JSON"), (3, 1))
        bob = self.ses.get_contact(ContactListName="newsletter", EmailAddress="bob@example.com")
        self.assertTrue(bob["UnsubscribeAll"])
        self.assertEqual(bob["AttributesData"], '{"city": "Oslo, Norway"}')
        ann = self.ses.get_contact(ContactListName="newsletter", EmailAddress="ann@example.com")
        self.assertEqual(ann["AttributesData"], '{"name": "Ann", "city": "Bergen"}')
        self.assertEqual(sorted((p["TopicName"], p["SubscriptionStatus"]) for p in ann["TopicPreferences"]),
                         [("deals", "OPT_OUT"), ("news", "OPT_IN")])
        self.assertEqual(self.run_job(delete, "contacts-delete.csv", "CSV"), (2, 0))
        left = self.ses.list_contacts(ContactListName="newsletter")["Contacts"]
        self.assertEqual(sorted(c["EmailAddress"] for c in left),
                         ["bob@example.com", "carol@example.com", "frank@example.com"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
