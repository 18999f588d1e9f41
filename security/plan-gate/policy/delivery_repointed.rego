# delivery-repointed: logs would be delivered somewhere else: a Firehose
# stream's S3 bucket (extended_s3_configuration.bucket_arn), or the
# destination of an account-level subscription policy (DestinationArn in its
# policy_document) or of a subscription filter (destination_arn). Objects
# written after the change land in the new destination; the old one stops
# receiving them.
# @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutAccountPolicy.html
# @see https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/kinesis_firehose_delivery_stream
# @see https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudwatch_log_subscription_filter
package main

import rego.v1

violations contains found("delivery-repointed", change, what) if {
	some change in changes
	compared(change)
	before := destination(change.type, change.change.before)
	after := planned_destination(change)
	after != before
	what := sprintf("would %s %s instead of %s", [delivery_verb[change.type], after, before])
}

delivery_verb := {
	"aws_kinesis_firehose_delivery_stream": "deliver to the bucket",
	"aws_cloudwatch_log_account_policy": "send log events to",
	"aws_cloudwatch_log_subscription_filter": "send log events to",
}

destination("aws_kinesis_firehose_delivery_stream", stream) := configuration.bucket_arn if {
	some configuration in blocks(stream, "extended_s3_configuration")
}

destination("aws_cloudwatch_log_account_policy", policy) := document.DestinationArn if {
	json.is_valid(policy.policy_document)
	document := json.unmarshal(policy.policy_document)
}

destination("aws_cloudwatch_log_subscription_filter", filter) := filter.destination_arn

# Where the planned object delivers; a destination Terraform learns only on
# apply is a change too.
planned_destination(change) := "a destination known only after apply" if {
	some path in unknown_destination_paths[change.type]
	unknown_after(change, path)
}

else := after if {
	after := destination(change.type, change.change.after)
}

else := "no destination"

unknown_destination_paths := {
	"aws_kinesis_firehose_delivery_stream": [
		["extended_s3_configuration"],
		["extended_s3_configuration", 0, "bucket_arn"],
	],
	"aws_cloudwatch_log_account_policy": [["policy_document"]],
	"aws_cloudwatch_log_subscription_filter": [["destination_arn"]],
}
