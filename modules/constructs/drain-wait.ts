/**
 * A wait between removing a delivery stream's subscription and deleting the
 * stream, so that what the stream still buffers reaches the archive.
 * DeleteDeliveryStream "deletes a Firehose stream and its data", and AWS's
 * advice is to "first stop any applications that are sending records before
 * you delete a Firehose stream": a stream flushes its buffer at the latest
 * after its buffering interval.
 *
 * A `terraform_data` resource between the two: it depends on the stream, and
 * the subscriptions depend on it, so Terraform destroys the subscriptions
 * first, then this resource, then the stream. Its destroy-time `local-exec`
 * provisioner sleeps for the seconds it stored when it was created. Terraform
 * runs a destroy-time provisioner only while its resource block is in the
 * configuration: so the stack of a retired account keeps this resource with
 * another trigger, which replaces it (destroy, then create), and the destroy
 * runs the wait. Creating it, or replacing it where no stream follows, waits
 * for nothing.
 * @see https://docs.aws.amazon.com/firehose/latest/APIReference/API_DeleteDeliveryStream.html
 * @see https://developer.hashicorp.com/terraform/language/resources/provisioners/syntax#destroy-time-provisioners
 */
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { TerraformData } from "./iam-propagation-wait";

/** Seconds waited beyond the buffering interval: the last flush's own delivery. */
export const DRAIN_MARGIN_SECONDS = 60;

/** Whether the stream still exists in this configuration, or its account is retired. */
export type DrainPhase = "stream" | "retired";

export interface DrainWaitProps {
  /** The stream's buffering interval in seconds: the longest a record waits in its buffer. */
  readonly bufferingIntervalSeconds: number;
  /** "stream" in a live source stack, "retired" in a retired account's stack. */
  readonly phase: DrainPhase;
  /** The stream (live stacks): destroyed only after the wait. */
  readonly after?: ITerraformDependable[];
}

export class DrainWait extends Construct {
  readonly resource: TerraformData;

  constructor(scope: Construct, id: string, props: DrainWaitProps) {
    super(scope, id);
    const seconds = props.bufferingIntervalSeconds + DRAIN_MARGIN_SECONDS;
    // POSIX sleep takes a non-negative whole number of seconds.
    if (!Number.isInteger(props.bufferingIntervalSeconds) || props.bufferingIntervalSeconds < 0) {
      throw new Error(
        `DrainWait ${this.node.path}: bufferingIntervalSeconds: expected a whole number of seconds of at least 0, got ${props.bufferingIntervalSeconds}`,
      );
    }
    this.resource = new TerraformData(this, "Wait", {
      triggersReplace: { phase: props.phase },
      input: String(seconds),
      dependsOn: props.after ?? [],
      // `self.input` is the state of the instance being destroyed: the wait its own stream needed.
      provisioners: [{ type: "local-exec", when: "destroy", command: "sleep ${self.input}" }],
    });
  }
}
