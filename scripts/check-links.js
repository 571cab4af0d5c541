// @ts-check
'use strict';

/**
 * `node scripts/check-links.js`: every relative link in README.md and docs/*.md must reach a file of the
 * repository, and a `#fragment` a heading of that file (GitHub's anchors). It guards moves between the
 * README and docs/: a section that moved and is still linked at its old place fails here.
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');

/**
 * What a link can point at: a markdown file's text, another file's (or a folder's) empty text, or
 * undefined when nothing is there.
 * @typedef {(relativePath: string) => string | undefined} Reader
 */

/** @param {string} text @returns {string} the text without fenced code blocks and inline code */
function withoutCode(text) {
	return text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** @param {string} heading @returns {string} GitHub's anchor for a heading */
function slug(heading) {
	return heading
		.trim()
		.toLowerCase()
		.replace(/`/g, '')
		.replace(/[^\p{L}\p{N}\s_-]/gu, '')
		.replace(/\s/g, '-');
}

/** @param {string} text @returns {Set<string>} the anchors of a markdown file's headings */
function anchors(text) {
	const found = new Set();
	for (const match of text
		.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '')
		.matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
		const base = slug(match[1]);
		let anchor = base;
		for (let n = 1; found.has(anchor); n++) anchor = `${base}-${n}`;
		found.add(anchor);
	}
	return found;
}

/** @param {string} text @returns {string[]} the targets of its links and images, as written */
function linkTargets(text) {
	return [
		...withoutCode(text).matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g),
	].map((match) => match[1]);
}

/**
 * @param {string[]} sources the markdown files to check, relative to the root
 * @param {Reader} read
 * @returns {string[]} one line per broken link: `file: target (why)`
 */
function linkProblems(sources, read) {
	/** @type {string[]} */
	const problems = [];
	for (const source of sources) {
		const text = read(source);
		if (text === undefined) {
			problems.push(`${source}: the file itself is missing`);
			continue;
		}
		for (const target of linkTargets(text)) {
			if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
			const [file, fragment] = target.split('#');
			const linked = file
				? path.posix.normalize(path.posix.join(path.posix.dirname(source), file))
				: source;
			const linkedText = read(linked.replace(/\/$/, ''));
			if (linkedText === undefined) problems.push(`${source}: ${target} (no such file)`);
			else if (fragment && !anchors(linkedText).has(decodeURIComponent(fragment)))
				problems.push(`${source}: ${target} (no heading with that anchor in ${linked})`);
		}
	}
	return problems;
}

/** @param {string} root @returns {Reader} reads files under `root`; a folder or a non-markdown file reads as '' */
function diskReader(root) {
	return (relativePath) => {
		const full = path.join(root, relativePath);
		if (!full.startsWith(root) || !fs.existsSync(full)) return undefined;
		return full.endsWith('.md') && fs.statSync(full).isFile() ? fs.readFileSync(full, 'utf8') : '';
	};
}

/** @param {string} [root] @returns {string[]} the broken links of README.md and docs/*.md */
function projectLinkProblems(root = ROOT) {
	const docs = fs
		.readdirSync(path.join(root, 'docs'))
		.filter((name) => name.endsWith('.md'))
		.map((name) => `docs/${name}`);
	return linkProblems(['README.md', ...docs], diskReader(root));
}

if (require.main === module) {
	const problems = projectLinkProblems();
	for (const problem of problems) process.stderr.write(`${problem}\n`);
	process.stdout.write(`${problems.length} broken link(s)\n`);
	if (problems.length) process.exitCode = 1;
}

module.exports = { anchors, linkProblems, linkTargets, projectLinkProblems, slug };
