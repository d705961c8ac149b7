"""The NOVA stand-in of the Windows host job (test/ps/host/OnWindows.ps1): a FastAPI app answering
GET /health with 200 {"status": "ok"}, run as NOVA is. Tunnel mode runs `python main.py`, which serves it
with uvicorn on APP_HOST:APP_PORT of the .env the dotenv step writes (the process environment wins, as
python-dotenv's default does); direct mode runs `python -m uvicorn main:app` with the service's TLS options."""
import os

from fastapi import FastAPI

app = FastAPI()


@app.get("/health")
def health():
    return {"status": "ok"}


def dotenv(path=".env"):
    """KEY=VALUE lines of .env (UTF-8, a BOM allowed), comments and blank lines skipped."""
    values = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8-sig") as f:
            for line in f:
                line = line.strip()
                if line and not line.startswith("#") and "=" in line:
                    key, value = line.split("=", 1)
                    values[key.strip()] = value.strip().strip('"')
    return values


if __name__ == "__main__":
    import uvicorn

    env = {**dotenv(), **os.environ}
    uvicorn.run(app, host=env.get("APP_HOST", "127.0.0.1"), port=int(env.get("APP_PORT", "8000")))
