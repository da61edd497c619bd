// An action (a proposed tool call or a stored span) as the rules see it: normalized string fields, the
// declared context resolved, and the CEL variables built once for every rule.
import type { STRING_VARIABLES } from "./cel-environment";
import { anyGlobMatcher, type Matcher } from "./glob";
import type { PolicyAction, PolicyDocument } from "./policy-schema";

export type StringField = (typeof STRING_VARIABLES)[number];

export interface ActionContext {
  role: string;
  sensitivity: string;
  confidence?: number;
}

export interface NormalizedAction {
  fields: Record<StringField, string>;
  args: Record<string, unknown>;
  attributes: Record<string, unknown>;
  context: ActionContext;
}

export interface ContextDeclarations {
  roles: { matches: Matcher; role: string }[];
  sensitivities: { matches: Matcher; sensitivity: string }[];
}

export function compileDeclarations(context: PolicyDocument["context"]): ContextDeclarations {
  return {
    roles: Object.entries(context?.agents ?? {}).map(([pattern, d]) => ({ matches: anyGlobMatcher(pattern), role: d.role })),
    sensitivities: Object.entries(context?.tools ?? {}).map(([pattern, d]) => ({ matches: anyGlobMatcher(pattern), sensitivity: d.sensitivity })),
  };
}

/** Role and sensitivity come from the policy's declarations (first matching entry), never from the caller. */
export function normalizeAction(action: PolicyAction, declarations: ContextDeclarations): NormalizedAction {
  const fields: Record<StringField, string> = {
    agent: action.agent ?? "", tool: action.tool ?? "", kind: action.kind || (action.tool ? "tool" : ""), model: action.model ?? "",
    service: action.service ?? "", user: action.user ?? "", session: action.session ?? "",
  };
  const context: ActionContext = {
    role: declarations.roles.find((d) => d.matches(fields.agent))?.role ?? "",
    sensitivity: declarations.sensitivities.find((d) => d.matches(fields.tool))?.sensitivity ?? "",
  };
  if (action.context?.confidence !== undefined) context.confidence = action.context.confidence;
  return { fields, args: action.args ?? {}, attributes: action.attributes ?? {}, context };
}

/** The variables of a CEL condition (docs/policies.md); JSON numbers stay doubles, as in CEL's JSON mapping. */
export function celVariables({ fields: f, args, attributes, context }: NormalizedAction, now: Date): Record<string, unknown> {
  return { agent: f.agent, tool: f.tool, kind: f.kind, model: f.model, service: f.service, user: f.user, session: f.session, args, attributes, context, now };
}

/** The values a message template may name. */
export function templateValues(action: NormalizedAction, ruleId: string): Record<string, unknown> {
  const { fields: f, args, attributes, context } = action;
  return { agent: f.agent, tool: f.tool, kind: f.kind, model: f.model, service: f.service, user: f.user, session: f.session, args, attributes, context, rule: ruleId };
}
