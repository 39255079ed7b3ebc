/**
 * Warm Forge containers serve many sites and users, so no tenant data may live in module
 * scope. A source-level check over the code that ships (src/, without the command-line
 * tools): no top-level `let`/`var`, and no function ever writes to a top-level container
 * (lookup tables such as stop words or character classes may be filled while the module
 * loads, by top-level statements, and are read-only afterwards).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const SRC = join(__dirname, '..', '..', 'src');

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'cli') out.push(...files(path));
    } else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const MUTATORS = /^(set|add|delete|clear|push|pop|shift|unshift|splice|sort|reverse|fill)$/;

it('shipped modules keep no mutable state at top level', () => {
  const problems: string[] = [];
  const shipped = files(SRC);
  expect(shipped.length).toBeGreaterThan(50);
  for (const file of shipped) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const where = relative(SRC, file);
    const containers = new Set<string>();
    for (const statement of source.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      const flags = statement.declarationList.flags;
      if (!(flags & ts.NodeFlags.Const)) {
        problems.push(`${where}: top-level ${flags & ts.NodeFlags.Let ? 'let' : 'var'} ${statement.declarationList.declarations.map((d) => d.name.getText(source)).join(', ')}`);
        continue;
      }
      for (const d of statement.declarationList.declarations) {
        const init = d.initializer;
        if (init && ts.isIdentifier(d.name) && (ts.isNewExpression(init) || ts.isArrayLiteralExpression(init) || ts.isObjectLiteralExpression(init))) containers.add(d.name.text);
      }
    }
    // Inside any function, a call like NAME.set(...) / NAME.push(...) or an assignment into
    // NAME[...] on a top-level container is a write at request time.
    const visit = (node: ts.Node, inFunction: boolean): void => {
      const nested = inFunction || ts.isFunctionLike(node) || ts.isClassStaticBlockDeclaration(node);
      if (!nested) {
        ts.forEachChild(node, (child) => visit(child, false));
        return;
      }
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
        const target = node.expression.expression;
        if (ts.isIdentifier(target) && containers.has(target.text) && MUTATORS.test(node.expression.name.text)) {
          problems.push(`${where}: ${target.text}.${node.expression.name.text}() writes module state`);
        }
      }
      if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        let left: ts.Expression = node.left;
        while (ts.isPropertyAccessExpression(left) || ts.isElementAccessExpression(left)) left = left.expression;
        if (ts.isIdentifier(left) && containers.has(left.text) && left !== node.left) problems.push(`${where}: assignment into ${left.text}`);
      }
      ts.forEachChild(node, (child) => visit(child, true));
    };
    visit(source, false);
  }
  expect(problems).toEqual([]);
});
