# versioning-suspended: a bucket's versioning would go from Enabled to
# Suspended. Object Lock and replication require versioning, and a suspended
# bucket overwrites and deletes objects for good.
# @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html
# @see https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_versioning
package main

import rego.v1

violations contains found("versioning-suspended", change, sprintf("would change versioning from Enabled to %s", [status])) if {
	some change in changes
	change.type == "aws_s3_bucket_versioning"
	compared(change)
	versioning_status(change.change.before) == "Enabled"
	status := versioning_status(change.change.after)
	status != "Enabled"
}

versioning_status(versioning) := configuration.status if {
	some configuration in blocks(versioning, "versioning_configuration")
}
