/** "Ann Lee <ann@example.com>" */
export function displayName(user) {
  return `${user.first} ${user.last} <${user.email}>`;
}
