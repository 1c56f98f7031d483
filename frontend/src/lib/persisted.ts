import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import type { OperationDefinitionNode } from "graphql";
import persistedDocuments from "@/gql/persisted-documents.json";

/**
 * Persisted queries as GET URLs, shared by the server and the browser. Each generated
 * document carries its hash (`__meta__.hash`, "sha256:<hex>"); its exact text is in
 * `persisted-documents.json`, sent only when the CMS does not know the hash yet.
 */
const documents = persistedDocuments as Record<string, string>;

export type Persisted = { hash: string; hex: string; name: string; text: string };

export function persisted<R, V>(document: TypedDocumentNode<R, V>): Persisted {
  const hash = (document as { __meta__?: { hash?: string } }).__meta__?.hash;
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === "OperationDefinition",
  );
  const text = hash ? documents[hash] : undefined;
  if (!hash || !text || !operation?.name) {
    throw new Error("Not a generated persisted document; run `npm run codegen`.");
  }
  return { hash, hex: hash.slice("sha256:".length), name: operation.name.value, text };
}

export function persistedUrl(
  endpoint: string,
  operation: Persisted,
  variables: unknown,
  withText = false,
): string {
  const params = new URLSearchParams({
    operationName: operation.name,
    variables: JSON.stringify(variables ?? {}),
    extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: operation.hex } }),
  });
  if (withText) params.set("query", operation.text);
  return `${endpoint}?${params.toString()}`;
}

export function isNotFound(body: { errors?: { extensions?: { code?: string } }[] }): boolean {
  return Boolean(body.errors?.some((error) => error.extensions?.code === "PERSISTED_QUERY_NOT_FOUND"));
}
