import { describe, expect, it } from "vitest";
import { childEnv } from "./child-env.ts";

describe("childEnv", () => {
  it("drops secret-looking names, provider keys and any value holding a provider key", () => {
    const env = {
      PATH: "/bin",
      HOME: "/h",
      GITHUB_TOKEN: "t",
      GH_TOKEN: "t",
      AWS_SECRET_ACCESS_KEY: "s",
      DB_PASSWORD: "p",
      GOOGLE_APPLICATION_CREDENTIALS: "/c.json",
      OPENAI_API_KEY: "sk-provider-key-1234",
      NPM_TOKEN: "n",
      SNEAKY: "x sk-provider-key-1234 y",
      KEYBOARD_LAYOUT: "us",
    };
    expect(
      childEnv(env, { allow: ["NPM_TOKEN", "OPENAI_API_KEY"], secretValues: ["sk-provider-key-1234"] }),
    ).toEqual({
      PATH: "/bin",
      HOME: "/h",
      NPM_TOKEN: "n",
    });
  });

  it("never passes on a denied name, even an allowed one", () => {
    const env = { PATH: "/bin", OPENAI_API_KEY: "sk-1", NPM_TOKEN: "n" };
    expect(childEnv(env, { allow: ["OPENAI_API_KEY", "NPM_TOKEN"], deny: ["OPENAI_API_KEY"] })).toEqual({
      PATH: "/bin",
      NPM_TOKEN: "n",
    });
  });
});
