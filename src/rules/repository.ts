/** A repository as GitHub's API addresses it. */
export interface RepositoryRef {
  readonly owner: string;
  readonly name: string;
}

// Owners: letters, digits and single hyphens; repository names: letters, digits, '.', '_', '-'.
const OWNER_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const NAME_PATTERN = /^[A-Za-z0-9._-]{1,100}$/;

/** Problems with an `owner/name` repository reference; empty when valid. */
export function checkRepository(repository: string): string[] {
  const parts = repository.split("/");
  if (parts.length !== 2 || parts[0] === "" || parts[1] === "") {
    return [`repository "${repository}" is not of the form owner/name: write it like "acme/api"`];
  }
  const [owner, name] = parts as [string, string];
  const problems: string[] = [];
  if (!OWNER_PATTERN.test(owner)) {
    problems.push(
      `repository owner "${owner}" is not a valid GitHub user or organization name ` +
        `(letters, digits and single hyphens, at most 39 characters)`,
    );
  }
  if (!NAME_PATTERN.test(name) || name === "." || name === "..") {
    problems.push(
      `repository name "${name}" is not a valid GitHub repository name (letters, digits, '.', '_' and '-')`,
    );
  }
  return problems;
}

/** Splits `owner/name`; throws with the fix when the reference is invalid. */
export function parseRepository(repository: string): RepositoryRef {
  const problems = checkRepository(repository);
  if (problems.length > 0) {
    throw new Error(problems.join("; "));
  }
  const [owner, name] = repository.split("/") as [string, string];
  return { owner, name };
}
