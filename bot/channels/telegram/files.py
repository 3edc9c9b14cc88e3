"""Fetching a message's photo or document through ``getFile``, within the size limit."""

from __future__ import annotations

import logging

from telegram import Bot, Message
from telegram.error import BadRequest

from bot.channels.telegram.envelope import StoredFile

log = logging.getLogger(__name__)


async def fetch_files(bot: Bot, message: Message, max_bytes: int) -> tuple[StoredFile, ...]:
    """The message's file, fetched now; over the limit it is recorded without its bytes.

    A network failure propagates: the update is then not stored, and is fetched again later.
    """
    if message.photo:
        photo = message.photo[-1]  # the largest size Telegram made
        return (
            await _fetch(
                bot,
                photo.file_id,
                f"photo-{photo.file_unique_id}.jpg",
                "image/jpeg",
                photo.file_size,
                max_bytes,
            ),
        )
    if message.document:
        doc = message.document
        return (
            await _fetch(
                bot,
                doc.file_id,
                doc.file_name or f"file-{doc.file_unique_id}",
                doc.mime_type or "application/octet-stream",
                doc.file_size,
                max_bytes,
            ),
        )
    return ()


async def _fetch(
    bot: Bot,
    file_id: str,
    name: str,
    content_type: str,
    size: int | None,
    max_bytes: int,
) -> StoredFile:
    if size is not None and size > max_bytes:
        return StoredFile(name, content_type, size, None)
    try:
        file = await bot.get_file(file_id)
    except BadRequest as exc:  # "file is too big": over getFile's own 20 MB limit
        log.info("telegram file not fetched", extra={"error": exc.message})
        return StoredFile(name, content_type, size or 0, None)
    if file.file_size is not None and file.file_size > max_bytes:
        return StoredFile(name, content_type, file.file_size, None)
    data = bytes(await file.download_as_bytearray())
    if len(data) > max_bytes:
        return StoredFile(name, content_type, len(data), None)
    return StoredFile(name, content_type, len(data), data)
