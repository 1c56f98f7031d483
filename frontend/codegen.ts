import type { CodegenConfig } from "@graphql-codegen/cli";

/**
 * Types and persisted documents are generated from the committed SDL (`../schema.graphql`),
 * never by introspecting a running CMS: `npm run codegen` works offline and in CI.
 * `src/gql/persisted-documents.json` maps each operation's SHA-256 to its exact text; the
 * CMS registers it with `manage.py register_persisted_queries` (allow-list mode).
 */
const config: CodegenConfig = {
  schema: "../schema.graphql",
  documents: ["operations/*.graphql"],
  ignoreNoDocuments: false,
  generates: {
    "src/gql/": {
      preset: "client",
      presetConfig: {
        fragmentMasking: false,
        persistedDocuments: { hashAlgorithm: "sha256" },
      },
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        avoidOptionals: false,
        scalars: { Date: "string", DateTime: "string", BigInt: "number" },
      },
    },
  },
};

export default config;
