export const MESSAGES = {
  name: "name is required",
  email: "email is not valid",
  age: "age must be between 13 and 120",
};
