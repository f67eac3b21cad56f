#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check ktstr's CI recipes (.ci/recipes/) against the ktstr they call.

  ci_recipes_check.py KTSTR FILE.yml... [--shards]

FILE is a GitHub Actions workflow (it has 'jobs:') or a GitLab CI file.
For every 'ktstr ...' command in a run:/script: block (also inside $(...)):
its subcommand exists ('ktstr --help'), and every option it passes, those of
a variable it expands ($VM_OPTS, assigned in the script or an env: block)
included, is one that 'ktstr SUBCOMMAND --help' lists ('kernel': the options
of that one of build/list/clean/path).
For the job that runs 'ktstr gauntlet --shard': its instances (GitHub's
matrix, GitLab's parallel: N) run shards 1/N..N/N exactly once each, with
--host-cpus or --overcommit (the same variant list on unlike machines); GitHub's
matrix is not fail-fast; the --junit, --results-dir and --json paths of each
instance are uploaded (GitHub: an actions/upload-artifact step after it, run
'if: always()', with a name of its own per instance; GitLab: artifacts with
'when: always', the JUnit file in reports:junit, the others in paths, and
every instance's paths its own).

Prints FILE:LINE: problem per problem, then 'FILE: N ktstr commands, N shards,
N problems', and exits 1 when there is any problem, 2 when it cannot run (no
yaml module, a ktstr whose --help fails). With --shards, also prints the
shard values of each file, one 'FILE K/N' line each.
"""
import collections
import fnmatch
import itertools
import re
import shlex
import subprocess
import sys

try:
	import yaml
except ImportError:
	print('ci_recipes_check: needs the python3 yaml module (apt-get install python3-yaml)',
	      file=sys.stderr)
	sys.exit(2)

OUTPUT_OPTS = ('--junit', '--results-dir', '--json')
GITHUB_EXPR = re.compile(r'\$\{\{\s*(.*?)\s*\}\}')
ASSIGN = re.compile(r'^\s*(?:export\s+|local\s+)?([A-Za-z_]\w*)=(.*)$')
VARREF = re.compile(r'^\$(?:\{([A-Za-z_]\w*)(?:\[[@*]\])?\}|([A-Za-z_]\w*))$')
# 'ktstr' as a command word: at a line's start or after a shell separator.
KTSTR_WORD = re.compile(r'(?:^|(?<=[\s;&|(`!]))ktstr[ \t]+')


class Problems:
	def __init__(self, path, text):
		self.path, self.lines, self.list = path, text.split('\n'), []
		self.ncmds = 0

	def line_of(self, *needles):
		"""The line of the last needle, each searched for from the line of the
		one before (a job, then a key in it); 1 when there is none."""
		start = 0
		for n in needles:
			for i in range(start, len(self.lines)):
				if n in self.lines[i]:
					start = i
					break
		return start + 1

	def word_line(self, word):
		"""The first line holding word as a whole shell word."""
		pat = re.compile(r'(?<![\w-])' + re.escape(word) + r'(?![\w-])')
		return next((i + 1 for i, ln in enumerate(self.lines) if pat.search(ln)), 1)

	def add(self, line, msg):
		self.list.append(f'{self.path}:{line}: {msg}')


# ---- ktstr's own help: subcommands and their options

def help_text(ktstr, *args):
	try:
		r = subprocess.run([ktstr, *args, '--help'], capture_output=True, text=True)
	except OSError as e:
		print(f'ci_recipes_check: {ktstr}: {e.strerror}', file=sys.stderr)
		sys.exit(2)
	if r.returncode != 0:
		print(f'ci_recipes_check: {ktstr} {" ".join(args)} --help exited {r.returncode}',
		      file=sys.stderr)
		sys.exit(2)
	return r.stdout


# An option's own line in --help: two to four spaces in, not a description's.
OPT_DEF = re.compile(r'^ {2,4}(?:(-[A-Za-z]), )?(--[a-z][a-z0-9-]*)')
USAGE_OPT = re.compile(r'\[(--?[A-Za-z][A-Za-z0-9-]*)')


def usage_block(text):
	"""The usage lines: from 'usage:' to the first blank line."""
	return text.split('\n\n', 1)[0]


def option_defs(lines):
	opts = set()
	for ln in lines:
		m = OPT_DEF.match(ln)
		if m:
			opts.update(o for o in m.groups() if o)
	return opts


class Help:
	def __init__(self, ktstr):
		self.ktstr = ktstr
		top = help_text(ktstr)
		self.commands = set(re.findall(r'^  ([a-z][a-z-]*)  ', top.split('Commands:', 1)[1], re.M))
		self.top_opts = set(USAGE_OPT.findall(usage_block(top)))
		self.cache = {}

	def options(self, cmd, sub=None):
		"""Options of 'ktstr cmd' (of 'ktstr kernel sub'), or None: no such sub."""
		if cmd not in self.cache:
			self.cache[cmd] = help_text(self.ktstr, cmd)
		text = self.cache[cmd]
		if cmd != 'kernel':
			return (option_defs(text.split('\n')) | set(USAGE_OPT.findall(usage_block(text))) |
				{'-h', '--help'})
		# 'ktstr kernel' documents each of build/list/clean/path in a section
		# of its own, headed 'ktstr kernel SUB' alone on its line.
		sections = re.split(r'^ktstr kernel ([a-z]+)$', text, flags=re.M)
		per_sub = dict(zip(sections[1::2], sections[2::2]))
		if sub not in per_sub:
			return None
		usage = [ln for ln in usage_block(text).split('\n') if f'ktstr kernel {sub}' in ln]
		return (option_defs(per_sub[sub].split('\n')) | set(USAGE_OPT.findall(' '.join(usage))) |
			{'-h', '--help'})


# ---- shell: the ktstr commands of a script

def strip_comments(script):
	out = []
	for ln in script.split('\n'):
		quote = None
		for i, c in enumerate(ln):
			if quote:
				quote = None if c == quote else quote
			elif c in '\'"':
				quote = c
			elif c == '#' and (i == 0 or ln[i - 1] in ' \t'):
				ln = ln[:i]
				break
		out.append(ln)
	return '\n'.join(out)


def command_text(s):
	"""s up to the end of its shell command: an unquoted ; & | ) ` or newline."""
	quote, depth, i = None, 0, 0
	while i < len(s):
		c = s[i]
		if quote == "'":
			quote = None if c == "'" else quote
		elif c == '\\':
			i += 1
		elif c == '"':
			quote = None if quote else '"'
		elif c == "'" and not quote:
			quote = "'"
		elif s.startswith('$(', i):
			depth += 1
			i += 1
		elif c == ')' and depth:
			depth -= 1
		elif not quote and not depth and c in ';&|)`\n':
			break
		i += 1
	return s[:i]


def ktstr_commands(script):
	"""[(argv after 'ktstr', the command's text)] of every ktstr command in script."""
	script = strip_comments(script.replace('\\\n', ' '))
	# GitHub's ${{ expr }} as one shell word: ${{expr}}, resolved per instance later.
	script = GITHUB_EXPR.sub(lambda m: '${{' + m.group(1).replace(' ', '') + '}}', script)
	cmds = []
	for m in KTSTR_WORD.finditer(script):
		text = command_text(script[m.end():])
		try:
			argv = shlex.split(text)
		except ValueError as e:
			argv = None
			text = f'{text} ({e})'
		if argv is not None:
			# redirections are the shell's, not ktstr's
			kept, skip = [], False
			for a in argv:
				if skip:
					skip = False
				elif re.match(r'^\d*[<>]', a):
					skip = re.fullmatch(r'\d*[<>]+&?', a) is not None
				else:
					kept.append(a)
			argv = kept
		cmds.append((argv, 'ktstr ' + text.strip()))
	return cmds


def assignments(script, env):
	"""name -> [words] of every NAME=value in script and in env (env: blocks)."""
	out = collections.defaultdict(list)
	for name, value in (env or {}).items():
		out[str(name)] += str(value).split()
	for ln in strip_comments(script.replace('\\\n', ' ')).split('\n'):
		m = ASSIGN.match(ln)
		if not m:
			continue
		rhs = m.group(2).strip()
		if rhs.startswith('(') and rhs.endswith(')'):
			rhs = rhs[1:-1]
		try:
			words = shlex.split(rhs)
		except ValueError:
			words = rhs.split()
		out[m.group(1)] += [w for word in words for w in word.split()]
	return out


def check_command(help_, prob, argv, text, assigned):
	"""Problems of one ktstr command; its {option: value} (the last one wins)."""
	line = prob.line_of(text.split()[1] if len(text.split()) > 1 else 'ktstr')
	if argv is None:
		prob.add(line, f'cannot parse the shell command: {text}')
		return {}
	if not argv:
		prob.add(line, f'ktstr without a command: {text}')
		return {}
	line = prob.line_of(' '.join(text.split()[:3]))
	cmd, args = argv[0], argv[1:]
	if cmd.startswith('-'):
		known, args, where = help_.top_opts | {'-h'}, argv, "'ktstr --help'"
	elif cmd not in help_.commands:
		prob.add(line, f"'ktstr {cmd}': no such command (not in 'ktstr --help')")
		return {}
	elif cmd == 'kernel':
		sub = args[0] if args else ''
		known, where = help_.options('kernel', sub), f"'ktstr kernel --help', section '{sub}'"
		if known is None:
			prob.add(line, f"'ktstr kernel {sub}': no such kernel command")
			return {}
		cmd, args = f'kernel {sub}', args[1:]
	else:
		known, where = help_.options(cmd), f"'ktstr {cmd} --help'"
	values = {}
	for i, a in enumerate(args):
		ref = VARREF.match(a)
		words = [a]
		if ref:
			words = assigned.get(ref.group(1) or ref.group(2), [])
		for w in words:
			if not re.match(r'^--?[A-Za-z]', w):
				continue
			name = w.split('=', 1)[0]
			values.setdefault(name, None)
			if name not in known:
				prob.add(prob.word_line(name), f"'ktstr {cmd}': unknown option {name} "
					 f"(not in {where})" + (f', from {a}' if ref else ''))
		if a.startswith('--') and '=' in a:
			values[a.split('=', 1)[0]] = a.split('=', 1)[1]
		elif a.startswith('-') and i + 1 < len(args) and not args[i + 1].startswith('-'):
			values[a] = args[i + 1]
	return values


# ---- per instance: ${{ matrix.x }} and $CI_NODE_INDEX resolved

def subst_github(s, ctx):
	return re.sub(r'\$\{\{\s*(.*?)\s*\}\}', lambda m: ctx.get(m.group(1).replace(' ', ''), m.group(0)),
		      str(s))


def subst_gitlab(s, ctx):
	return re.sub(r'\$\{?(CI_NODE_INDEX|CI_NODE_TOTAL)\}?', lambda m: ctx[m.group(1)], str(s))


def check_shards(prob, line, values, opts):
	"""values: the --shard of every instance; they must be 1/N..N/N once each."""
	if not {'--host-cpus', '--overcommit'} & set(opts):
		prob.add(line, "a sharded gauntlet with neither --host-cpus nor --overcommit: shards"
			 " on unlike machines compute unlike variant lists")
	shards = []
	for v in values:
		m = re.fullmatch(r'(\d+)/(\d+)', v)
		if not m:
			prob.add(line, f"--shard {v}: does not resolve to K/N for an instance")
			return []
		shards.append((int(m.group(1)), int(m.group(2))))
	n = {t for _, t in shards}
	if len(n) != 1:
		prob.add(line, f"--shard: instances disagree on N: {sorted(n)}")
		return shards
	n = n.pop()
	count = collections.Counter(k for k, _ in shards)
	missing = [k for k in range(1, n + 1) if not count[k]]
	twice = sorted(k for k, c in count.items() if c > 1)
	extra = sorted(k for k in count if not 1 <= k <= n)
	if missing or twice or extra:
		prob.add(line, f"--shard K/{n}: the instances do not run 1..{n} once each"
			 f" (missing {missing}, more than once {twice}, out of range {extra})")
	return shards


def norm(p):
	p = str(p).strip()
	while p.startswith('./'):
		p = p[2:]
	return p.rstrip('/')


def covered(path, patterns):
	"""path is one of patterns, or under one (globs as the CI systems read them)."""
	parts = norm(path).split('/')
	return any(fnmatch.fnmatchcase('/'.join(parts[:i]), norm(p))
		   for p in patterns if norm(p) for i in range(1, len(parts) + 1))


def check_outputs(prob, line, per_instance, uploaded, what):
	"""per_instance: [{opt: path}]; uploaded(i): the patterns instance i uploads on failure."""
	for opt in ('--junit', '--results-dir'):
		if any(v.get(opt) is None for v in per_instance):
			prob.add(line, f"the sharded gauntlet writes no {opt}")
	for i, vals in enumerate(per_instance):
		for opt in OUTPUT_OPTS:
			if vals.get(opt) is not None and not covered(vals[opt], uploaded(i, opt)):
				prob.add(line, f"{opt} {vals[opt]} is not among {what}")


# ---- GitHub Actions

def always(cond):
	return cond is not None and re.search(r'\balways\(\)|!\s*cancelled\(\)', str(cond)) is not None


def check_github(help_, prob, doc):
	shards_out = []
	wf_env = doc.get('env') or {}
	for job_id, job in (doc.get('jobs') or {}).items():
		steps = job.get('steps') or []
		job_line = prob.line_of('jobs:', f'  {job_id}:')
		gauntlets = []
		for si, step in enumerate(steps):
			if 'run' not in step:
				continue
			env = {**wf_env, **(job.get('env') or {}), **(step.get('env') or {})}
			assigned = assignments(step['run'], env)
			for argv, text in ktstr_commands(step['run']):
				prob.ncmds += 1
				vals = check_command(help_, prob, argv, text, assigned)
				if argv and argv[0] == 'gauntlet' and vals.get('--shard'):
					gauntlets.append((si, vals, text))
		for si, vals, text in gauntlets:
			line = prob.line_of(f'  {job_id}:', '--shard')
			strat = job.get('strategy') or {}
			matrix = strat.get('matrix') or {}
			if not isinstance(matrix, dict) or not matrix:
				prob.add(job_line, f"job {job_id}: runs a sharded gauntlet without a matrix")
				continue
			if set(matrix) & {'include', 'exclude'}:
				prob.add(job_line, f"job {job_id}: matrix include:/exclude: is not supported here")
				continue
			if strat.get('fail-fast', True) is not False:
				prob.add(prob.line_of(f'  {job_id}:', 'strategy:'),
					 f"job {job_id}: fail-fast is on: one failing shard cancels the others")
			axes = list(matrix.items())
			combos = list(itertools.product(*[v if isinstance(v, list) else [v] for _, v in axes]))
			ctxs = [{**{f'matrix.{k}': str(c[j]) for j, (k, _) in enumerate(axes)},
				 'strategy.job-total': str(len(combos)), 'strategy.job-index': str(i)}
				for i, c in enumerate(combos)]
			shards = check_shards(prob, line, [subst_github(vals['--shard'], c) for c in ctxs],
					      vals)
			shards_out += [f'{k}/{n}' for k, n in shards]
			uploads = [s for s in steps[si + 1:]
				   if str(s.get('uses', '')).startswith('actions/upload-artifact@')]
			on_fail = [s for s in uploads if always(s.get('if'))]
			if uploads and not on_fail:
				prob.add(prob.line_of(f'  {job_id}:', 'actions/upload-artifact@'),
					 f"job {job_id}: the results are not uploaded when the gauntlet fails"
					 " (no 'if: always()')")
			for s in on_fail:
				names = [subst_github((s.get('with') or {}).get('name', 'artifact'), c) for c in ctxs]
				if len(set(names)) != len(names):
					prob.add(prob.line_of(f'  {job_id}:', 'actions/upload-artifact@', 'name:'),
						 f"job {job_id}: the instances upload artifacts of the same name")

			def uploaded(i, opt, on_fail=on_fail, ctxs=ctxs):
				return [subst_github(p, ctxs[i]) for s in on_fail
					for p in str((s.get('with') or {}).get('path', '')).split('\n')]
			check_outputs(prob, line, [{o: v and subst_github(v, c) for o, v in vals.items()} for c in ctxs],
				      uploaded, f"job {job_id}'s uploads that run 'if: always()'")
	return shards_out


# ---- GitLab CI

GITLAB_KEYWORDS = {'stages', 'variables', 'default', 'workflow', 'include', 'image', 'services',
		   'cache', 'before_script', 'after_script', 'spec'}


def gitlab_job(doc, name, seen=()):
	"""The job with its extends: merged in (hash keys deep, others replaced)."""
	job = doc.get(name) or {}
	if name in seen or not isinstance(job, dict):
		return {}
	parents = job.get('extends') or []
	merged = {}
	for p in [parents] if isinstance(parents, str) else parents:
		merged = merge(merged, gitlab_job(doc, p, seen + (name,)))
	return merge(merged, job)


def merge(a, b):
	out = dict(a)
	for k, v in b.items():
		out[k] = merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
	return out


def script_text(v):
	if isinstance(v, list):
		return '\n'.join(script_text(x) for x in v)
	return '' if v is None else str(v)


def check_gitlab(help_, prob, doc):
	shards_out = []
	top_vars = {k: (v.get('value') if isinstance(v, dict) else v)
		    for k, v in (doc.get('variables') or {}).items()}
	# Every script as written (hidden jobs and default: too), checked once.
	for name, raw in doc.items():
		if not isinstance(raw, dict):
			continue
		env = {**top_vars, **(raw.get('variables') or {})}
		for key in ('before_script', 'script', 'after_script'):
			script = script_text(raw.get(key))
			assigned = assignments(script, env)
			for argv, text in ktstr_commands(script):
				prob.ncmds += 1
				check_command(help_, prob, argv, text, assigned)
	# The jobs that run, with extends: merged in.
	for name, raw in doc.items():
		if name in GITLAB_KEYWORDS or name.startswith('.') or not isinstance(raw, dict):
			continue
		job = gitlab_job(doc, name)
		script = script_text(job.get('script'))
		assigned = assignments(script, {**top_vars, **(job.get('variables') or {})})
		quiet = Problems(prob.path, '')	# already reported above
		for argv, text in ktstr_commands(script):
			vals = check_command(help_, quiet, argv, text, assigned)
			if not argv or argv[0] != 'gauntlet' or not vals.get('--shard'):
				continue
			line = prob.line_of(f'{name}:', '--shard')
			n = job.get('parallel')
			if not isinstance(n, int) or isinstance(n, bool) or n < 1:
				prob.add(prob.line_of(f'{name}:'), f"job {name}: runs a sharded gauntlet without"
					 " 'parallel: N' (a number)")
				continue
			ctxs = [{'CI_NODE_INDEX': str(k), 'CI_NODE_TOTAL': str(n)} for k in range(1, n + 1)]
			shards = check_shards(prob, line, [subst_gitlab(vals['--shard'], c) for c in ctxs],
					      vals)
			shards_out += [f'{k}/{t}' for k, t in shards]
			art = job.get('artifacts') or {}
			if art.get('when') != 'always':
				prob.add(prob.line_of(f'{name}:', 'artifacts:'), f"job {name}: artifacts are not"
					 " kept when the gauntlet fails (no 'when: always')")
				art = {}
			junit = (art.get('reports') or {}).get('junit') or []
			junit = [junit] if isinstance(junit, str) else junit
			paths = art.get('paths') or []

			def uploaded(i, opt, junit=junit, paths=paths):
				return junit if opt == '--junit' else paths
			per = [{o: v and subst_gitlab(v, c) for o, v in vals.items()} for c in ctxs]
			check_outputs(prob, line, per, uploaded,
				      f"job {name}'s artifacts (--junit: reports:junit; the others: paths)"
				      " kept 'when: always'")
			for opt in OUTPUT_OPTS:
				got = [v[opt] for v in per if v.get(opt) is not None]
				if len(set(got)) != len(got):
					prob.add(line, f"job {name}: every instance writes {opt} to the same path,"
						 " and they overwrite each other in the next stage")
	return shards_out


def main(argv):
	show = '--shards' in argv
	argv = [a for a in argv if a != '--shards']
	if len(argv) < 2:
		print(__doc__, file=sys.stderr)
		return 2
	help_ = Help(argv[0])
	problems = []
	for path in argv[1:]:
		text = open(path, encoding='utf-8').read()
		prob = Problems(path, text)
		try:
			doc = yaml.safe_load(text)
		except yaml.YAMLError as e:
			print(f'{path}: not YAML: {e}'.replace('\n', ' '))
			problems.append(path)
			continue
		if not isinstance(doc, dict):
			prob.add(1, 'not a CI file: no mapping at the top')
			shards = []
		elif 'jobs' in doc:
			shards = check_github(help_, prob, doc)
		else:
			shards = check_gitlab(help_, prob, doc)
		if not shards:
			prob.add(1, "no job runs 'ktstr gauntlet --shard K/N'")
		for p in prob.list:
			print(p)
		print(f'{path}: {prob.ncmds} ktstr commands, {len(shards)} shards,'
		      f' {len(prob.list)} problems')
		problems += prob.list
		if show:
			for s in shards:
				print(f'{path} {s}')
	return 1 if problems else 0


if __name__ == '__main__':
	sys.exit(main(sys.argv[1:]))
