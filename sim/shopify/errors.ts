// Maps graphql-js parse/validation/variable errors to the messages and codes Shopify's graphql-ruby
// server returns, so clients that switch on `extensions.code` behave as in production.
import { GraphQLError, visit, Kind, type ASTNode, type DocumentNode } from "graphql";

export interface ShopifyGraphqlError {
  message: string;
  locations?: Array<{ line: number; column: number }>;
  path?: Array<string | number>;
  extensions?: Record<string, unknown>;
}

const TOKEN_NAMES: Record<string, string> = {
  "{": "LCURLY",
  "}": "RCURLY",
  "(": "LPAREN",
  ")": "RPAREN",
  "[": "LBRACKET",
  "]": "RBRACKET",
  ":": "COLON",
  $: "VAR_SIGN",
  "=": "EQUALS",
  "!": "BANG",
  "@": "DIR_SIGN",
  "...": "ELLIPSIS",
  "|": "PIPE",
  "&": "AMP",
};

/** graphql-js: `Syntax Error: Expected Name, found "}".` → graphql-ruby: `syntax error, unexpected RCURLY ("}") at [1, 30]` */
export function mapSyntaxError(err: GraphQLError): ShopifyGraphqlError {
  const loc = err.locations?.[0];
  const at = loc ? ` at [${loc.line}, ${loc.column}]` : "";
  const m = /found (.*)\.$/.exec(err.message) ?? /Unexpected (.*)\.$/.exec(err.message);
  let unexpected = "";
  if (m) {
    const found = m[1];
    if (found === "<EOF>") return { message: `syntax error, unexpected end of file${at}`, locations: loc ? [loc] : undefined };
    const punct = /^"(.+)"$/.exec(found);
    if (punct && TOKEN_NAMES[punct[1]]) unexpected = `${TOKEN_NAMES[punct[1]]} ("${punct[1]}")`;
    else if (/^Name "/.test(found)) unexpected = `IDENTIFIER (${found.slice(5)})`;
    else if (/^Int "/.test(found)) unexpected = `INT (${found.slice(4)})`;
    else if (/^String "/.test(found)) unexpected = `STRING (${found.slice(7)})`;
    else unexpected = found;
  } else unexpected = err.message.replace(/^Syntax Error: /, "");
  return { message: `syntax error, unexpected ${unexpected}${at}`, locations: loc ? [loc] : undefined };
}

/** graphql-ruby paths: ["query Name", "products", "nodes", "titel"] (aliases replace field names). */
function pathIndex(doc: DocumentNode): Map<ASTNode, Array<string>> {
  const map = new Map<ASTNode, string[]>();
  const stack: string[] = [];
  visit(doc, {
    enter(node) {
      if (node.kind === Kind.OPERATION_DEFINITION) stack.push(node.name ? `${node.operation} ${node.name.value}` : node.operation);
      else if (node.kind === Kind.FRAGMENT_DEFINITION) stack.push(`fragment ${node.name.value}`);
      else if (node.kind === Kind.FIELD) stack.push(node.alias?.value ?? node.name.value);
      else if (node.kind === Kind.INLINE_FRAGMENT) stack.push(`... on ${node.typeCondition?.name.value ?? ""}`.trim());
      map.set(node, [...stack]);
    },
    leave(node) {
      if (node.kind === Kind.OPERATION_DEFINITION || node.kind === Kind.FRAGMENT_DEFINITION || node.kind === Kind.FIELD || node.kind === Kind.INLINE_FRAGMENT) stack.pop();
    },
  });
  return map;
}

export function mapValidationErrors(doc: DocumentNode, errors: readonly GraphQLError[]): ShopifyGraphqlError[] {
  const paths = pathIndex(doc);
  return errors.map((e) => {
    const locations = e.locations?.map((l) => ({ line: l.line, column: l.column }));
    const node = e.nodes?.[0];
    const path = node ? paths.get(node) : undefined;
    const base = { locations, path };
    let m: RegExpExecArray | null;
    if ((m = /^Cannot query field "(\w+)" on type "(\w+)"\./.exec(e.message)))
      return { message: `Field '${m[1]}' doesn't exist on type '${m[2]}'`, ...base, extensions: { code: "undefinedField", typeName: m[2], fieldName: m[1] } };
    if ((m = /^Unknown argument "(\w+)" on field "(\w+)\.(\w+)"\./.exec(e.message)))
      return { message: `Field '${m[3]}' doesn't accept argument '${m[1]}'`, ...base, extensions: { code: "argumentNotAccepted", name: m[3], typeName: "Field", argumentName: m[1] } };
    if ((m = /^Unknown argument "(\w+)" on directive "@(\w+)"\./.exec(e.message)))
      return { message: `Directive '@${m[2]}' doesn't accept argument '${m[1]}'`, ...base, extensions: { code: "argumentNotAccepted", name: m[2], typeName: "Directive", argumentName: m[1] } };
    if ((m = /^Field "(\w+)" argument "(\w+)" of type "(.+)" is required, but it was not provided\./.exec(e.message)))
      return { message: `Field '${m[1]}' is missing required arguments: ${m[2]}`, ...base, extensions: { code: "missingRequiredArguments", className: "Field", name: m[1], arguments: m[2] } };
    if ((m = /^Directive "@(\w+)" argument "(\w+)" of type "(.+)" is required, but it was not provided\./.exec(e.message)))
      return { message: `Directive '@${m[1]}' is missing required arguments: ${m[2]}`, ...base, extensions: { code: "missingRequiredArguments", className: "Directive", name: m[1], arguments: m[2] } };
    if ((m = /^Variable "\$(\w+)" of type "(.+)" used in position expecting type "(.+)"\./.exec(e.message))) {
      const nullability = m[2].replace(/!$/, "") === m[3].replace(/!$/, "");
      const arg = argumentNameAt(doc, e);
      return {
        message: `${nullability ? "Nullability mismatch" : "Type mismatch"} on variable $${m[1]} and argument ${arg} (${m[2]} / ${m[3]})`,
        ...base,
        extensions: { code: "variableMismatch", variableName: m[1], typeName: m[2], argumentName: arg, errorMessage: nullability ? "Nullability mismatch" : "Type mismatch" },
      };
    }
    if ((m = /^Variable "\$(\w+)" is not defined(?: by operation "(\w+)")?\./.exec(e.message)))
      return { message: `Variable $${m[1]} is used by ${m[2] ?? "anonymous query"} but not declared`, ...base, extensions: { code: "variableNotDefined", variableName: m[1] } };
    if ((m = /^Variable "\$(\w+)" is never used(?: in operation "(\w+)")?\./.exec(e.message)))
      return { message: `Variable $${m[1]} is declared by ${m[2] ?? "anonymous query"} but not used`, ...base, extensions: { code: "variableNotUsed", variableName: m[1] } };
    if ((m = /^Field "(\w+)" must not have a selection since type "(.+)" has no subfields\./.exec(e.message)))
      return { message: `Selections can't be made on scalars (field '${m[1]}' returns ${m[2].replace(/!$/, "")} but has selections [${selectionNames(node)}])`, ...base, extensions: { code: "selectionMismatch", nodeName: `field '${m[1]}'`, typeName: m[2].replace(/!$/, "") } };
    if ((m = /^Field "(\w+)" of type "(.+)" must have a selection of subfields\./.exec(e.message)))
      return { message: `Field must have selections (field '${m[1]}' returns ${m[2].replace(/[!\][]/g, "")} but has no selections. Did you mean '${m[1]} { ... }'?)`, ...base, extensions: { code: "selectionMismatch", nodeName: `field '${m[1]}'`, typeName: m[2].replace(/[!\][]/g, "") } };
    if ((m = /^Unknown type "(\w+)"\./.exec(e.message)))
      return { message: `${m[1]} isn't a defined input type (on $${variableAt(node)})`, ...base, extensions: { code: "variableRequiresValidType", typeName: m[1], variableName: variableAt(node) } };
    if ((m = /^Unknown fragment "(\w+)"\./.exec(e.message))) return { message: `Fragment ${m[1]} was used, but not defined`, ...base, extensions: { code: "useAndDefineFragment", fragmentName: m[1] } };
    if ((m = /^Fragment "(\w+)" is never used\./.exec(e.message))) return { message: `Fragment ${m[1]} was defined, but not used`, ...base, extensions: { code: "useAndDefineFragment", fragmentName: m[1] } };
    if ((m = /^Unknown directive "@(\w+)"\./.exec(e.message))) return { message: `Directive @${m[1]} is not defined`, ...base, extensions: { code: "undefinedDirective", directiveName: m[1] } };
    if ((m = /^(?:Int|Float|String|Boolean|ID|Enum|\w+) cannot represent|^Expected value of type "(.+)", found (.+?)[.;]/.exec(e.message))) {
      const arg = argumentNameAt(doc, e);
      return { message: `Argument '${arg}' on Field '${fieldAt(doc, e)}' has an invalid value (${node && "loc" in node && node.loc ? node.loc.source.body.slice(node.loc.start, node.loc.end) : "?"}). Expected type '${m[1] ?? "?"}'.`, ...base, extensions: { code: "argumentLiteralsIncompatible", typeName: "Field", argumentName: arg } };
    }
    return { message: e.message, ...base };
  });
}

function selectionNames(node: ASTNode | undefined): string {
  if (!node || node.kind !== Kind.FIELD || !node.selectionSet) return "";
  return node.selectionSet.selections.map((s) => (s.kind === Kind.FIELD ? s.name.value : "...")).join(", ");
}

function variableAt(node: ASTNode | undefined): string {
  return node && node.kind === Kind.VARIABLE_DEFINITION ? node.variable.name.value : "?";
}

/** Finds the argument whose value contains the error's node (e.g. for variable mismatches). */
function argumentNameAt(doc: DocumentNode, e: GraphQLError): string {
  return enclosing(doc, e).arg ?? "?";
}
function fieldAt(doc: DocumentNode, e: GraphQLError): string {
  return enclosing(doc, e).field ?? "?";
}
function enclosing(doc: DocumentNode, e: GraphQLError): { arg?: string; field?: string } {
  const target = e.nodes?.[e.nodes.length - 1]?.loc?.start;
  if (target === undefined) return {};
  let found: { arg?: string; field?: string } = {};
  visit(doc, {
    Argument(node, _k, _p, _path, ancestors) {
      if (node.loc && node.loc.start <= target && target < node.loc.end) {
        const field = [...ancestors].reverse().find((a): a is import("graphql").FieldNode => !Array.isArray(a) && (a as ASTNode).kind === Kind.FIELD);
        found = { arg: node.name.value, field: field?.name.value };
      }
    },
  });
  return found;
}

/** graphql-js variable coercion errors → one graphql-ruby style error per variable. */
export function mapVariableErrors(errors: readonly GraphQLError[], variableTypes: Record<string, string>, variables: Record<string, unknown>): ShopifyGraphqlError[] {
  const byVar = new Map<string, Array<{ path: Array<string | number>; explanation: string }>>();
  for (const e of errors) {
    const m = /^Variable "\$(\w+)" (?:got invalid value .*?(?: at "([^"]+)")?; (.*)|of required type "(.+)" was not provided\.|of non-null type "(.+)" must not be null\.)$/s.exec(e.message);
    const name = m?.[1] ?? "?";
    const list = byVar.get(name) ?? [];
    const pathStr = m?.[2];
    const path = pathStr ? pathStr.split(".").slice(1).flatMap((seg) => seg.split(/\[(\d+)\]/).filter(Boolean).map((x) => (/^\d+$/.test(x) ? Number(x) : x))) : [];
    let explanation = m?.[3] ?? (m?.[4] || m?.[5] ? "Expected value to not be null" : e.message);
    explanation = explanation
      .replace(/^Field "(\w+)" is not defined by type "(\w+)"\..*$/, "Field is not defined on $2")
      .replace(/^Field "(\w+)" of required type "(.+)" was not provided\.$/, "Expected value to not be null")
      .replace(/^Expected type "(\w+)" to be an object\.$/, "Expected value to be an object")
      .replace(/^(\w+) cannot represent [^:]*: (.*)$/, "Could not coerce value $2 to $1")
      .replace(/^Value (.*) does not exist in "(\w+)" enum\..*$/, "Expected $1 to be one of the $2 values");
    const fieldMatch = /^Field "(\w+)" is not defined by type/.exec(m?.[3] ?? "");
    if (fieldMatch) path.push(fieldMatch[1]);
    const missing = /^Field "(\w+)" of required type/.exec(m?.[3] ?? "");
    if (missing) path.push(missing[1]);
    list.push({ path, explanation });
    byVar.set(name, list);
  }
  return [...byVar.entries()].map(([name, problems]) => ({
    message: `Variable $${name} of type ${variableTypes[name] ?? "?"} was provided invalid value${problems.length && problems[0].path.length ? ` for ${problems.map((p) => p.path.join(".")).join(", ")}` : ""}`,
    extensions: { value: variables[name] ?? null, problems },
  }));
}
