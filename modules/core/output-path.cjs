// Where a command may write: one check shared by every command that takes an output
// directory or file (npm run synth's CDKTF_OUTDIR, review --out, lock --dir,
// state:settings --out, adopt --out) and by those that read a directory (scan,
// state:settings --stack-dir). A refusal names the variable or flag, the value, what is
// wrong and what to do, in one line, before anything is touched.
//
// An output directory is owned by the command through a marker file in it. Refused:
// an empty or blank value; the file-system root, the home directory, the project root or
// a directory that contains it; a directory holding files tracked by git; an existing
// regular file; a symbolic link (never followed: the message says where it points); a
// non-empty directory without the marker, unless `recognise` says an earlier version of
// the command wrote it (then it is taken over). An output file may replace only a file
// of the same kind (`recognise`), never a directory or a symbolic link.
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

class OutputPathError extends Error {}

const ERRNO_TEXT = {
  EACCES: "permission denied",
  EPERM: "operation not permitted (read-only or immutable)",
  EROFS: "read-only file system",
  ENOSPC: "no space left on device",
  EDQUOT: "disk quota exceeded",
  EISDIR: "is a directory, not a file",
  ENOTDIR: "a part of the path is a file, not a directory",
  ENOENT: "does not exist",
  EEXIST: "already exists",
  ENOTEMPTY: "directory not empty",
  EBUSY: "in use",
  EMFILE: "too many open files",
  ELOOP: "too many symbolic links",
  ENAMETOOLONG: "name too long",
  EXDEV: "on another file system",
};

/** The cause of a file-system error in words, with its code: "permission denied (EACCES)". */
function describeFsError(error) {
  const code = error && error.code;
  if (code && ERRNO_TEXT[code]) return `${ERRNO_TEXT[code]} (${code})`;
  if (code) return `${String(error.message).replace(/^[A-Z]+: /, "").split(",")[0]} (${code})`;
  return String((error && error.message) || error);
}

/** One line naming the path and the cause of a file-system error, or undefined for other errors. */
function fsErrorLine(error, fallbackPath) {
  if (!error || typeof error.code !== "string" || !/^E[A-Z]+$/.test(error.code)) return undefined;
  const where = error.path ?? fallbackPath;
  return `${where ? `${where}: ` : ""}${describeFsError(error)}`;
}

function shown(raw) {
  return JSON.stringify(raw);
}

function lstatOrUndefined(file) {
  try {
    return fs.lstatSync(file);
  } catch (error) {
    if (error.code === "ENOENT") return undefined;
    throw error;
  }
}

function isInside(child, parent) {
  const relative = path.relative(parent, child);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

/** The first file tracked by git under `dir`, if `dir` is in a git work tree. */
function firstTrackedFile(dir) {
  const result = spawnSync("git", ["-C", dir, "ls-files", "-z", "--", "."], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  if (result.error || result.status !== 0) return undefined;
  const first = result.stdout.split("\0").find(Boolean);
  return first === undefined ? undefined : path.join(dir, first);
}

function commonRefusals(name, raw, resolved, options) {
  const root = options.root;
  const home = options.home ?? os.homedir();
  const kind = options.kind;
  if (raw !== undefined && raw.trim() === "") {
    return `is empty; ${options.emptyHint ?? `give it a ${kind} of its own${options.fallback ? `, or leave it out for ${path.relative(root, options.fallback) || options.fallback}` : ""}`}`;
  }
  // A shell expands ~ only unquoted and at the start of a word; from a CI variable, a .env
  // file or quotes it reaches us as is and would become a directory named "~" in the project.
  if (raw !== undefined && /^~[^/]*(\/|$)/.test(raw.trim())) {
    return `starts with ${raw.trim().split("/")[0]}, which is not expanded here (only an unquoted shell word is); write the full path, like ${path.join(home, options.example ?? kind)}`;
  }
  if (resolved === path.parse(resolved).root) return `is the file-system root; name a ${kind} of its own`;
  const gitDir = resolved.split(path.sep).indexOf(".git");
  if (gitDir !== -1) return `is inside git's own directory (${resolved.split(path.sep).slice(0, gitDir + 1).join(path.sep)}); name a ${kind} of its own`;
  if (path.resolve(home) === resolved) return `is the home directory; name a ${kind} of its own`;
  if (resolved === root) return `is the project root; name a ${kind} of its own, like ${options.example}`;
  if (isInside(root, resolved)) return `contains the project (${root}); name a ${kind} of its own, like ${options.example}`;
  return undefined;
}

function refuse(name, raw, resolved, problem) {
  if (raw === undefined) return new OutputPathError(`${resolved} (${name} not set): ${problem}; nothing was touched`);
  const where = path.resolve(raw) !== raw && raw.trim() !== "" ? ` (${resolved})` : "";
  return new OutputPathError(`${name} = ${shown(raw)}${where}: ${problem}; nothing was touched`);
}

/** The refusals every output path shares, then its lstat (undefined: it does not exist yet). */
function checkedStat(name, raw, resolved, options) {
  const common = commonRefusals(name, raw, resolved, options);
  if (common) throw refuse(name, raw, resolved, common);
  try {
    return lstatOrUndefined(resolved);
  } catch (error) {
    throw refuse(name, raw, resolved, `cannot be read: ${describeFsError(error)}`);
  }
}

/**
 * Checks an output directory and returns its absolute path. `raw` is the value given
 * (undefined: `options.fallback`). Throws OutputPathError naming `name` when it may not be
 * used. Options: root (project root), fallback, marker (file name), owner (who writes it),
 * trackedAllowed (files it writes are meant to be committed), recognise(dir, entries)
 * (an earlier version's output, taken over), example (a good value), home, emptyHint.
 */
function checkOutputDirectory(name, raw, options) {
  const resolved = path.resolve(options.root, raw === undefined ? options.fallback : raw);
  const stat = checkedStat(name, raw, resolved, { kind: "directory", example: "cdktf.out", ...options });
  if (stat === undefined) return resolved;
  if (stat.isSymbolicLink()) {
    throw refuse(name, raw, resolved, `is a symbolic link to ${fs.readlinkSync(resolved)} (links are not followed); name the directory itself`);
  }
  if (!stat.isDirectory()) throw refuse(name, raw, resolved, `is an existing file, not a directory; name a directory of its own`);
  const tracked = options.trackedAllowed ? undefined : firstTrackedFile(resolved);
  if (tracked !== undefined) {
    throw refuse(name, raw, resolved, `holds files tracked by git (${path.relative(resolved, tracked)}); name a directory of its own`);
  }
  let entries;
  try {
    entries = fs.readdirSync(resolved).sort();
  } catch (error) {
    throw refuse(name, raw, resolved, `cannot be read: ${describeFsError(error)}`);
  }
  if (entries.length === 0 || entries.includes(options.marker)) return resolved;
  if (options.recognise && options.recognise(resolved, entries)) return resolved;
  const sample = entries.slice(0, 3).join(", ") + (entries.length > 3 ? ", …" : "");
  throw refuse(
    name,
    raw,
    resolved,
    `is not empty (${entries.length} entr${entries.length === 1 ? "y" : "ies"}: ${sample}) and was not written by ${options.owner ?? "this command"} (no ${options.marker} in it); empty it or name another directory`,
  );
}

/**
 * Checks an output file and returns its absolute path. Refused: an empty value, a
 * directory, a symbolic link, the root/home/project root, and an existing file that
 * `recognise(file)` does not accept as one this command wrote (options.what names the kind).
 */
function checkOutputFile(name, raw, options) {
  const resolved = path.resolve(options.root, raw === undefined ? options.fallback : raw);
  const stat = checkedStat(name, raw, resolved, { kind: "file", example: options.example, ...options });
  if (stat === undefined) {
    const parent = lstatOrUndefined(path.dirname(resolved));
    if (parent !== undefined && !parent.isDirectory() && !parent.isSymbolicLink()) {
      throw refuse(name, raw, resolved, `${path.dirname(resolved)} is a file, not a directory`);
    }
    return resolved;
  }
  if (stat.isSymbolicLink()) {
    throw refuse(name, raw, resolved, `is a symbolic link to ${fs.readlinkSync(resolved)} (links are not followed); name the file itself`);
  }
  if (stat.isDirectory()) throw refuse(name, raw, resolved, `is a directory; name a file (like ${options.example})`);
  if (!stat.isFile()) throw refuse(name, raw, resolved, "is not a regular file");
  if (options.recognise && !options.recognise(resolved)) {
    throw refuse(name, raw, resolved, `exists and is not ${options.what}; it would be overwritten: move it away or name another file`);
  }
  return resolved;
}

/**
 * Checks a directory a command reads: not empty or blank, existing, a directory (a
 * symbolic link to one is read through). Returns its absolute path.
 */
function checkInputDirectory(name, raw, options) {
  if (raw !== undefined && raw.trim() === "") throw new OutputPathError(`${name} = "": is empty; name a directory${options.hint ? ` (${options.hint})` : ""}`);
  const resolved = path.resolve(options.root, raw === undefined ? options.fallback : raw);
  let stat;
  try {
    stat = fs.statSync(resolved);
  } catch (error) {
    throw new OutputPathError(`${name} = ${shown(raw ?? resolved)}: ${describeFsError(error)}${options.hint ? `; ${options.hint}` : ""}`);
  }
  if (!stat.isDirectory()) throw new OutputPathError(`${name} = ${shown(raw ?? resolved)}: is a file, not a directory${options.hint ? `; ${options.hint}` : ""}`);
  return resolved;
}

module.exports = { OutputPathError, checkOutputDirectory, checkOutputFile, checkInputDirectory, describeFsError, fsErrorLine };
