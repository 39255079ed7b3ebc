/**
 * The value names a TypeScript module exports, read from its syntax alone.
 *
 * A full type-checked program would pull in every import of src/index.ts (seconds, and
 * it fails while other files are half-written); the manifest check only needs to know
 * whether `export … issueBadge` is there, including through `export * from './x'`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import ts from 'typescript';

export function collectExports(filePath: string, seen: Set<string> = new Set()): Set<string> {
  const names = new Set<string>();
  const absolute = resolve(filePath);
  if (seen.has(absolute)) return names;
  seen.add(absolute);

  const source = ts.createSourceFile(absolute, readFileSync(absolute, 'utf8'), ts.ScriptTarget.Latest, false, scriptKind(absolute));
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement)) {
      // `export type { A }` exports no value a handler could be.
      if (statement.isTypeOnly) continue;
      const clause = statement.exportClause;
      if (!clause) {
        // `export * from './x'` re-exports x's names (never its default).
        const target = resolveRelative(absolute, statement.moduleSpecifier);
        if (target) for (const name of collectExports(target, seen)) if (name !== 'default') names.add(name);
      } else if (ts.isNamespaceExport(clause)) {
        names.add(clause.name.text);
      } else {
        for (const element of clause.elements) if (!element.isTypeOnly) names.add(element.name.text);
      }
    } else if (ts.isExportAssignment(statement)) {
      names.add('default');
    } else if (hasExportModifier(statement)) {
      const isDefault = ts.getModifiers(statement as ts.HasModifiers)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
      if (ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) addBindingNames(declaration.name, names);
      } else if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) {
        if (isDefault) names.add('default');
        else if (statement.name) names.add(statement.name.text);
      }
      // Interfaces and type aliases are types, not values: not collected.
    }
  }
  return names;
}

function hasExportModifier(statement: ts.Statement): boolean {
  if (!ts.canHaveModifiers(statement)) return false;
  return ts.getModifiers(statement)?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword) ?? false;
}

function addBindingNames(name: ts.BindingName, names: Set<string>): void {
  if (ts.isIdentifier(name)) {
    names.add(name.text);
    return;
  }
  for (const element of name.elements) {
    if (!ts.isOmittedExpression(element)) addBindingNames(element.name, names);
  }
}

function resolveRelative(fromFile: string, specifier: ts.Expression | undefined): string | undefined {
  if (!specifier || !ts.isStringLiteral(specifier) || !specifier.text.startsWith('.')) return undefined;
  const base = resolve(dirname(fromFile), specifier.text);
  // ESM-style specifiers name the emitted .js file; the source is the .ts beside it.
  const stem = base.replace(/\.(c|m)?js$/, '');
  const candidates = [base, `${stem}.ts`, `${stem}.tsx`, `${stem}.js`, `${stem}/index.ts`, `${stem}/index.tsx`, `${stem}/index.js`];
  return candidates.find((candidate) => existsSync(candidate) && !candidate.endsWith('/') && ts.sys.fileExists(candidate));
}

function scriptKind(path: string): ts.ScriptKind {
  if (path.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (path.endsWith('.js')) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}
