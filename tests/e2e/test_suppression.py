"""The suppression-list operations through boto3 (each test in its own account)."""
import datetime as dt
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import ServerTestCase, list_all_suppressed, unique_account  # noqa: E402


def now_utc():
    return dt.datetime.now(dt.timezone.utc)


class SuppressionTests(ServerTestCase):

    def setUp(self):
        self.ses = self.server.client(unique_account())

    def put(self, address, reason="BOUNCE"):
        resp = self.ses.put_suppressed_destination(EmailAddress=address, Reason=reason)
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 200)
        return resp

    def get(self, address):
        return self.ses.get_suppressed_destination(EmailAddress=address)["SuppressedDestination"]

    def listed(self, **filters):
        return {d["EmailAddress"]: d["Reason"] for d in list_all_suppressed(self.ses, **filters)}

    def test_put_get_overwrite_delete(self):
        before = now_utc()
        self.put("pgd@example.com", "BOUNCE")
        after = now_utc()
        got = self.get("pgd@example.com")
        self.assertEqual(got["EmailAddress"], "pgd@example.com")
        self.assertEqual(got["Reason"], "BOUNCE")
        self.assertIsInstance(got["LastUpdateTime"], dt.datetime)
        self.assertGreaterEqual(got["LastUpdateTime"], before - dt.timedelta(seconds=2))
        self.assertLessEqual(got["LastUpdateTime"], after + dt.timedelta(seconds=2))
        first_time = got["LastUpdateTime"]

        time.sleep(0.05)
        self.put("pgd@example.com", "COMPLAINT")  # PUT overwrites
        got = self.get("pgd@example.com")
        self.assertEqual(got["Reason"], "COMPLAINT")
        self.assertGreaterEqual(got["LastUpdateTime"], first_time)
        self.assertEqual(self.listed(), {"pgd@example.com": "COMPLAINT"})

        resp = self.ses.delete_suppressed_destination(EmailAddress="pgd@example.com")
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertClientError("NotFoundException", 404, self.get, "pgd@example.com")
        self.assertEqual(self.listed(), {})

    def test_not_found_on_get_and_delete_of_absent(self):
        msg = self.assertClientError("NotFoundException", 404, self.get, "absent@example.com")
        self.assertTrue(msg)
        self.assertClientError("NotFoundException", 404,
                               self.ses.delete_suppressed_destination,
                               EmailAddress="absent@example.com")

    def test_list_summaries_shape(self):
        self.put("shape@example.com", "COMPLAINT")
        resp = self.ses.list_suppressed_destinations()
        items = resp["SuppressedDestinationSummaries"]
        self.assertEqual(len(items), 1)
        self.assertEqual(set(items[0]), {"EmailAddress", "Reason", "LastUpdateTime"})
        self.assertEqual(items[0]["EmailAddress"], "shape@example.com")
        self.assertEqual(items[0]["Reason"], "COMPLAINT")
        self.assertIsInstance(items[0]["LastUpdateTime"], dt.datetime)
        self.assertNotIn("NextToken", resp)

    def test_reasons_filter(self):
        bounces = {f"b{i}@example.com" for i in range(3)}
        complaints = {f"c{i}@example.com" for i in range(2)}
        for a in sorted(bounces):
            self.put(a, "BOUNCE")
        for a in sorted(complaints):
            self.put(a, "COMPLAINT")
        self.assertEqual(set(self.listed(Reasons=["BOUNCE"])), bounces)
        self.assertEqual(set(self.listed(Reasons=["COMPLAINT"])), complaints)
        self.assertEqual(set(self.listed(Reasons=["BOUNCE", "COMPLAINT"])),
                         bounces | complaints)
        self.assertEqual(set(self.listed()), bounces | complaints)

    def test_start_and_end_date(self):
        early = {f"early{i}@example.com" for i in range(3)}
        late = {f"late{i}@example.com" for i in range(2)}
        for a in sorted(early):
            self.put(a)
        time.sleep(1.5)
        middle = now_utc()
        time.sleep(1.5)
        for a in sorted(late):
            self.put(a, "COMPLAINT")
        self.assertEqual(set(self.listed(StartDate=middle)), late)
        self.assertEqual(set(self.listed(EndDate=middle)), early)
        self.assertEqual(set(self.listed(StartDate=middle - dt.timedelta(hours=1),
                                         EndDate=middle + dt.timedelta(hours=1))),
                         early | late)
        self.assertEqual(self.listed(StartDate=middle + dt.timedelta(hours=1)), {})
        self.assertEqual(self.listed(StartDate=middle, Reasons=["BOUNCE"]), {})

    def test_paging_25_by_10(self):
        addresses = {f"page{i:02d}@example.com" for i in range(25)}
        for a in sorted(addresses):
            self.put(a)
        sizes, seen, token = [], [], None
        while True:
            kwargs = {"PageSize": 10}
            if token:
                kwargs["NextToken"] = token
            resp = self.ses.list_suppressed_destinations(**kwargs)
            page = resp["SuppressedDestinationSummaries"]
            sizes.append(len(page))
            seen.extend(d["EmailAddress"] for d in page)
            token = resp.get("NextToken")
            if not token:
                break
            self.assertLess(len(sizes), 10, "paging does not end")
        self.assertEqual(sizes, [10, 10, 5])
        self.assertEqual(len(seen), 25)
        self.assertEqual(set(seen), addresses)

    def test_forged_or_foreign_token_is_invalid_next_token(self):
        for i in range(3):
            self.put(f"tok{i}@example.com")
        first = self.ses.list_suppressed_destinations(PageSize=1)
        self.assertIn("NextToken", first)
        self.assertClientError("InvalidNextTokenException", 400,
                               self.ses.list_suppressed_destinations, PageSize=1,
                               NextToken="Zm9yZ2Vk")
        # A token belongs to its filter: the same token with another Reasons filter is refused.
        self.assertClientError("InvalidNextTokenException", 400,
                               self.ses.list_suppressed_destinations, PageSize=1,
                               Reasons=["BOUNCE"], NextToken=first["NextToken"])

    def test_bad_reason_is_bad_request(self):
        raw = self.server.client(unique_account(), validate=False)
        msg = self.assertClientError("BadRequestException", 400,
                                     raw.put_suppressed_destination,
                                     EmailAddress="r@example.com", Reason="SPAM")
        self.assertIn("reason", msg.lower())
        self.assertClientError("NotFoundException", 404, raw.get_suppressed_destination,
                               EmailAddress="r@example.com")

    def test_invalid_address_is_bad_request(self):
        for bad in ("not-an-address", "@example.com", "a@", "a b@example.com"):
            with self.subTest(address=bad):
                self.assertClientError("BadRequestException", 400,
                                       self.ses.put_suppressed_destination,
                                       EmailAddress=bad, Reason="BOUNCE")
        self.assertEqual(self.listed(), {})

    def test_plus_and_percent_encoded_addresses_round_trip(self):
        for address in ("a+tag@example.com", "o'neil+x@example.com", "first.last%x@example.com"):
            with self.subTest(address=address):
                self.put(address, "COMPLAINT")
                got = self.get(address)
                self.assertEqual(got["EmailAddress"], address)
                self.assertEqual(got["Reason"], "COMPLAINT")
                self.assertIn(address, self.listed())
                self.ses.delete_suppressed_destination(EmailAddress=address)
                self.assertClientError("NotFoundException", 404, self.get, address)
        # '+' is kept as written: not turned into a space, not dropped.
        self.put("a+tag@example.com", "BOUNCE")
        self.assertClientError("NotFoundException", 404, self.get, "atag@example.com")
        self.assertEqual(self.listed(), {"a+tag@example.com": "BOUNCE"})


if __name__ == "__main__":
    unittest.main(verbosity=2)
