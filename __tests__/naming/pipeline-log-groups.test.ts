/**
 * The declaration of the pipeline's log groups (modules/naming/pipeline-log-groups.ts)
 * against what the stacks really create: for every corpus registry, every log
 * group derived from the synthesised stacks of an account (the AWS rule
 * catalogue's derivation: log group resources, Lambda functions, Firehose
 * error logging, EventBridge rules on the archive's events) is declared for
 * that account and Region. The registry refuses listed groups and sizes the
 * account policy from the declaration, so a group missing here would be
 * subscribable.
 */
import { loadRegistry } from "../../modules/registry/load";
import { pipelineLogGroupsOf } from "../../modules/registry/settings";
import { accountViews } from "../aws-rules/lib/run";
import { stackAccount } from "../aws-rules/lib/tf";
import { pipelineLogGroups } from "../aws-rules/rules/logs";
import { corpusFiles, corpusStacks, fixtureTest } from "../helpers/corpus";

describe("the pipeline's log groups are declared where the stacks create them", () => {
  const views = accountViews(corpusStacks());

  test.each(corpusFiles())("%s: every derived log group is declared for its account and Region", (file) => {
    const registry = loadRegistry(file);
    const undeclared = views
      .filter((v) => v.registry === file)
      .flatMap((view) => {
        const account = stackAccount(view.json)!;
        return pipelineLogGroups(view.json)
          .filter((g) => !pipelineLogGroupsOf(registry, account, g.region).includes(g.name))
          .map((g) => `${account} ${g.region} ${g.name} (written by ${g.writer.address})`);
      });
    expect(undeclared).toEqual([]);
  });

  fixtureTest("the derivation finds every kind of writer in the corpus", () => {
    // GIVEN every account view of the corpus; THEN each kind of writer the
    // derivation knows is met at least once, so none of its branches is dead.
    const writers = new Set(views.flatMap((v) => pipelineLogGroups(v.json).map((g) => g.writer.type)));
    expect([...writers].sort()).toEqual([
      "aws_cloudwatch_event_target",
      "aws_kinesis_firehose_delivery_stream",
      "aws_lambda_function",
    ]);
  });
});
