package main_test.delivery_repointed

import rego.v1

import data.main_test.change_of
import data.main_test.denied
import data.main_test.messages
import data.main_test.plan_of
import data.main_test.update_of

stream(bucket_arn) := {
	"name": "cwl-archive-to-archive",
	"destination": "extended_s3",
	"extended_s3_configuration": [{"bucket_arn": bucket_arn, "buffering_interval": 300}],
}

policy(destination) := {
	"policy_name": "cwl-archive-to-archive",
	"policy_document": json.marshal({"DestinationArn": destination, "FilterPattern": ""}),
}

filter(destination) := {"log_group_name": "/aws/rds/cluster/payments/audit", "destination_arn": destination}

old_bucket := "arn:aws:s3:::cwl-archive-210987654321-eu-west-1"

new_bucket := "arn:aws:s3:::logs-archive-210987654321-eu-west-1"

old_stream := "arn:aws:firehose:eu-west-1:210987654321:deliverystream/cwl-archive-to-archive"

central := "arn:aws:logs:eu-west-1:210987654321:destination:cwl-archive-central"

firehose := "aws_kinesis_firehose_delivery_stream"

test_a_stream_delivering_to_another_bucket_is_denied if {
	plan := plan_of([update_of(firehose, stream(old_bucket), stream(new_bucket))], [])
	denied(plan) == ["delivery-repointed"]
	messages(plan) == {concat("", [
		"[cwl-plan-gate delivery-repointed] aws_kinesis_firehose_delivery_stream.Test would deliver to the bucket ",
		new_bucket, " instead of ", old_bucket, ". ",
		"To allow it, acknowledge \"repoint-delivery\" in the registry's migrations. ",
		"See docs/day-two.md#repointing-delivery",
	])}
}

test_repoint_delivery_allows_it if {
	denied(plan_of([update_of(firehose, stream(old_bucket), stream(new_bucket))], ["repoint-delivery"])) == []
}

test_a_stream_still_delivering_to_the_same_bucket_passes if {
	later := json.patch(stream(old_bucket), [{"op": "replace", "path": "/extended_s3_configuration/0/buffering_interval", "value": 900}])
	denied(plan_of([update_of(firehose, stream(old_bucket), later)], [])) == []
}

test_a_bucket_known_only_after_apply_is_a_change if {
	change := object.union(
		update_of(firehose, stream(old_bucket), {"name": "cwl-archive-to-archive", "extended_s3_configuration": [{}]}),
		{"change": {"after_unknown": {"extended_s3_configuration": [{"bucket_arn": true}]}}},
	)
	plan := plan_of([change], [])
	denied(plan) == ["delivery-repointed"]
	some message in messages(plan)
	contains(message, "would deliver to the bucket a destination known only after apply instead of")
}

test_an_account_policy_sending_elsewhere_is_denied if {
	denied(plan_of([update_of("aws_cloudwatch_log_account_policy", policy(old_stream), policy(central))], [])) == ["delivery-repointed"]
}

test_an_account_policy_sending_to_the_same_destination_passes if {
	later := object.union(policy(old_stream), {"policy_document": json.marshal({"DestinationArn": old_stream, "FilterPattern": "-DEBUG"})})
	denied(plan_of([update_of("aws_cloudwatch_log_account_policy", policy(old_stream), later)], [])) == []
}

test_an_unreadable_policy_document_is_not_guessed_at if {
	denied(plan_of([update_of("aws_cloudwatch_log_account_policy", {"policy_document": "{"}, policy(central))], [])) == []
}

test_a_subscription_filter_sending_elsewhere_is_denied if {
	denied(plan_of([update_of("aws_cloudwatch_log_subscription_filter", filter(old_stream), filter(central))], [])) == ["delivery-repointed"]
}

test_new_delivery_passes if {
	denied(plan_of([change_of(firehose, ["create"], null, stream(new_bucket))], [])) == []
	denied(plan_of([change_of("aws_cloudwatch_log_subscription_filter", ["create"], null, filter(central))], [])) == []
}
